import type { Size } from '@loupe/shared';
import { useLayoutEffect, useRef, useState } from 'react';
import type { View } from '../../stores/editor-store';
import { planDraws } from '../compare/draw-plan';
import { placeLayer } from '../compare/place-layer';
import { tileGrid, tileRect } from '../compare/tile-grid';
import { useElementSize } from '../compare/use-pan-zoom';
import { maskBrush } from './mask-brush';
import { tintPixels } from './mask-tint';

/**
 * The mask as a tinted layer over the picture, placed and drawn by the compare view's own
 * geometry (`placeLayer`, `planDraws` at full resolution), so at every zoom each mask pixel
 * covers exactly the picture pixel it selects. Redrawn once a frame while a stroke paints.
 */
export function MaskLayer({ image, view, dpr }: { image: Size; view: View; dpr: number }) {
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pane = box?.closest<HTMLElement>('[data-pane]') ?? null;
  const paneSize = useElementSize(pane);

  useLayoutEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!box || !pane || !paneSize || !el || !ctx) return;
    const place = placeLayer(box, el, pane, view, dpr);
    // The tinted mask at the picture's size: what every draw below samples from.
    const tinted = new OffscreenCanvas(image.width, image.height);
    const tintCtx = tinted.getContext('2d')!;
    const pixels = tintCtx.createImageData(image.width, image.height);
    const grid = { ...tileGrid(image), levels: 1 };
    const layer = { display: image, view, dpr, canvas: place.pixels };
    const plan = planDraws(grid, layer, () => true);

    const draw = () => {
      const s = maskBrush.getState();
      const painting = s.paintingCoverage();
      const source = painting ? { data: painting } : s.mask;
      const fits = s.doc && s.doc.size.width === image.width && s.doc.size.height === image.height;
      ctx.clearRect(0, 0, el.width, el.height);
      if (!source || !fits) return;
      tintPixels(source, pixels.data, painting ? s.doc!.invert : false);
      tintCtx.putImageData(pixels, 0, 0);
      for (const d of plan.draws) {
        const rect = tileRect(grid, d.tile);
        ctx.imageSmoothingEnabled = d.smooth;
        ctx.drawImage(tinted, rect.x + d.sx, rect.y + d.sy, d.sw, d.sh, d.dx, d.dy, d.dw, d.dh);
      }
    };
    draw();
    let frame = 0;
    const unsubscribe = maskBrush.subscribe((s, before) => {
      if (s.mask === before.mask && s.painting === before.painting) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(draw);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [box, pane, paneSize, image, view, dpr]);

  return (
    <div
      ref={setBox}
      aria-hidden="true"
      data-mask-layer
      className="pointer-events-none absolute z-10 select-none"
      style={{
        left: view.x,
        top: view.y,
        width: image.width * view.zoom,
        height: image.height * view.zoom,
      }}
    >
      <canvas
        ref={canvas}
        className="absolute max-w-none"
        style={{ imageRendering: 'pixelated' }}
      />
    </div>
  );
}
