import type { TfNode } from './graph-model';
import { sizeOf } from './host-tensor';
import { attrInt } from './node-attrs';
import type { SliceMasks } from './strided-slice';

/** A Reshape target with its one -1 resolved (TensorFlow has no 0-means-copy rule). */
export function reshapeTarget(from: readonly number[], target: readonly number[]): number[] {
  const shape = [...target];
  const free = shape.indexOf(-1);
  if (free >= 0) shape[free] = sizeOf(from) / -sizeOf(shape);
  if (sizeOf(shape) !== sizeOf(from) || !Number.isInteger(shape[free] ?? 0))
    throw new Error(`cannot reshape [${from.join(', ')}] to [${target.join(', ')}]`);
  return shape;
}

export function sliceMasks(node: TfNode): SliceMasks {
  return {
    begin: attrInt(node, 'begin_mask', 0),
    end: attrInt(node, 'end_mask', 0),
    shrink: attrInt(node, 'shrink_axis_mask', 0),
    ellipsis: attrInt(node, 'ellipsis_mask', 0),
    newAxis: attrInt(node, 'new_axis_mask', 0),
  };
}

/**
 * Explicit [begin, end] padding of one spatial axis for TensorFlow's SAME or VALID conv:
 * SAME pads so the output is ceil(in / stride), the odd pixel going after.
 */
export function convPadding(
  padding: string,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  if (padding === 'VALID') return [0, 0];
  if (padding !== 'SAME') throw new Error(`padding ${padding} is not supported`);
  const reach = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + reach - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** ExpandDims: a 1 inserted at `axis` (negative counts from the end of the result). */
export function expandDimsShape(shape: readonly number[], axis: number): number[] {
  const at = normAxis(axis, shape.length + 1);
  return [...shape.slice(0, at), 1, ...shape.slice(at)];
}

/** Squeeze: the listed axes removed, or every 1 when none are listed. */
export function squeezeShape(shape: readonly number[], dims: readonly number[]): number[] {
  const axes = dims.map((a) => normAxis(a, shape.length));
  return shape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1));
}
