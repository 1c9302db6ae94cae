import type { RgbaImage, Size } from '@loupe/shared';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { paint } from '../../lib/image-canvas';
import type { View } from '../../stores/editor-store';

/**
 * One picture placed by the shared view. `display` is the size both pictures are laid out
 * at (the result's): an original smaller than its upscaled result is stretched to it with
 * nearest-neighbour when magnified, so at 1:1 each original pixel covers exactly its
 * `scale × scale` block of result pixels and the two line up pixel for pixel.
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
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) paint(canvas.current, image);
  }, [image]);
  // Panes can start at a fractional device pixel (two columns of an odd width); shift by
  // that fraction so image pixels still land on whole screen pixels at 1:1.
  useLayoutEffect(() => {
    const el = canvas.current;
    const pane = el?.parentElement?.getBoundingClientRect();
    if (!el || !pane) return;
    const fraction = ((pane.left * dpr) % 1) / dpr;
    const fractionY = ((pane.top * dpr) % 1) / dpr;
    el.style.left = `${view.x - fraction}px`;
    el.style.top = `${view.y - fractionY}px`;
  });
  const magnified = (view.zoom * dpr * display.width) / image.width >= 1;
  return (
    <canvas
      ref={canvas}
      role="img"
      aria-label={label}
      className="absolute max-w-none origin-top-left select-none"
      style={{
        left: view.x,
        top: view.y,
        width: display.width * view.zoom,
        height: display.height * view.zoom,
        imageRendering: magnified ? 'pixelated' : 'auto',
      }}
    />
  );
}
