import type { GraphBuilder } from '../onnx/graph-builder';

/** Symbolic image dims shared by every filter graph: any size, tiles included. */
export const IMAGE_DIMS = [1, 4, 'height', 'width'] as const;

/** Channels [from, to) of an NCHW tensor. */
export function channels(g: GraphBuilder, x: string, from: number, to: number): string {
  return g.node('Slice', [x, g.int64([from]), g.int64([to]), g.int64([1])]);
}

export function splitRgbAlpha(g: GraphBuilder, image: string): { rgb: string; alpha: string } {
  return { rgb: channels(g, image, 0, 3), alpha: channels(g, image, 3, 4) };
}

/** Clamps to the byte range: every filter's output contract is 0..255 (rounding is the engine's). */
export function clampBytes(g: GraphBuilder, x: string): string {
  return g.node('Clip', [x, g.constant([0], []), g.constant([255], [])]);
}

/** The (K − 1) / 2 half-width of a 1-D kernel input, as an int64 [1] computed at run time. */
function halfWidth(g: GraphBuilder, kernel: string): string {
  const k = g.node('Shape', [kernel]);
  return g.node('Div', [g.node('Sub', [k, g.int64([1])]), g.int64([2])]);
}

/**
 * Separable Gaussian on `count` channels with edge-replicating borders. The taps come in as an
 * input so one graph serves every radius; Pad(edge) takes its pads as a tensor, so the border
 * follows K too. Depthwise convs (group = channels) stay cheap on WebGPU and WASM.
 */
export function separableBlur(g: GraphBuilder, x: string, kernel: string, count: number): string {
  const half = halfWidth(g, kernel);
  const zeros3 = g.int64([0, 0, 0]);
  const horizontalPads = g.node('Concat', [zeros3, half, zeros3, half], { axis: 0 });
  const zeros2 = g.int64([0, 0]);
  const zero1 = g.int64([0]);
  const verticalPads = g.node('Concat', [zeros2, half, zero1, zeros2, half, zero1], { axis: 0 });

  const repeats = g.int64([count, 1, 1, 1]);
  const rowTaps = g.node('Tile', [g.node('Reshape', [kernel, g.int64([1, 1, 1, -1])]), repeats]);
  const colTaps = g.node('Tile', [g.node('Reshape', [kernel, g.int64([1, 1, -1, 1])]), repeats]);

  const rows = g.node('Conv', [g.node('Pad', [x, horizontalPads], { mode: 'edge' }), rowTaps], {
    group: count,
  });
  return g.node('Conv', [g.node('Pad', [rows, verticalPads], { mode: 'edge' }), colTaps], {
    group: count,
  });
}
