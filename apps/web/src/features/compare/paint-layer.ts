import { planDraws, type LayerView } from './draw-plan';
import type { ImagePyramid } from './image-pyramid';

/**
 * Redraws a layer's canvas for `layer` from the tiles `pyramid` has, and asks it for the ones
 * the view needs. Returns whether the canvas now shows the view at its proper level (false
 * while a stand-in from another level, or nothing, covers some tiles).
 */
export function paintLayer(
  ctx: CanvasRenderingContext2D,
  pyramid: ImagePyramid,
  layer: LayerView,
): boolean {
  const plan = planDraws(pyramid.grid, layer, (tile, level) => pyramid.has(tile, level));
  pyramid.want(plan.visible, plan.level);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  // Downscaling by up to 2× from the chosen level: 'high' asks for the best filter the browser has.
  ctx.imageSmoothingQuality = 'high';
  for (const d of plan.draws) {
    ctx.imageSmoothingEnabled = d.smooth;
    ctx.drawImage(pyramid.bitmap(d.tile, d.level)!, d.sx, d.sy, d.sw, d.sh, d.dx, d.dy, d.dw, d.dh);
  }
  return plan.complete;
}
