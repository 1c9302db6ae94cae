import type { RgbaImage, Size } from '@loupe/shared';
import { useLayoutEffect, useRef, useState } from 'react';
import type { View } from '../../stores/editor-store';
import { acquirePyramid, releasePyramid } from './image-pyramid';
import { paintLayer } from './paint-layer';
import { placeLayer } from './place-layer';
import { useElementSize } from './use-pan-zoom';

/**
 * One picture placed by the shared view. `display` is the size both pictures are laid out
 * at (the result's): an original smaller than its upscaled result is stretched to it with
 * nearest-neighbour when magnified, so at 1:1 each original pixel covers exactly its
 * `scale × scale` block of result pixels and the two line up pixel for pixel.
 *
 * The element with the picture's role and name is a box where the picture is; the pixels are
 * drawn into a canvas the size of the pane inside it. A canvas as large as the picture held
 * about 1.1 GB of backing store and compositor copies for a 12000² result (bench/browser-memory.ts);
 * this one redraws the visible part from tiles (image-pyramid.ts) whenever the view changes.
 * `aria-busy` stays true while some of it is still drawn from a stand-in level.
 */
export function ImageLayer({
  image,
  display,
  view,
  dpr,
  label,
}: {
  image: RgbaImage;
  display: Size;
  view: View;
  dpr: number;
  label: string;
}) {
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pane = box?.closest<HTMLElement>('[data-pane]') ?? null;
  const paneSize = useElementSize(pane);
  const [busy, setBusy] = useState(true);

  useLayoutEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!box || !pane || !paneSize || !el || !ctx) return;
    const place = placeLayer(box, el, pane, view, dpr);

    const pyramid = acquirePyramid(image);
    const layer = { display, view, dpr, canvas: place.pixels };
    const draw = () => setBusy(!paintLayer(ctx, pyramid, layer));
    draw();
    // Tiles arrive one by one while the levels are built: one redraw per frame is enough.
    let frame = 0;
    const unsubscribe = pyramid.subscribe(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(draw);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      releasePyramid(image);
    };
  }, [box, pane, paneSize, image, display, view, dpr]);

  return (
    <div
      ref={setBox}
      role="img"
      aria-label={label}
      aria-busy={busy}
      className="absolute select-none"
      style={{
        left: view.x,
        top: view.y,
        width: display.width * view.zoom,
        height: display.height * view.zoom,
      }}
    >
      {/* Canvas pixels are screen pixels; pixelated keeps them so if a browser rounds the size. */}
      <canvas
        ref={canvas}
        aria-hidden="true"
        className="absolute max-w-none"
        style={{ imageRendering: 'pixelated' }}
      />
    </div>
  );
}
