import type { TfNode } from './graph-model';
import {
  broadcastIndex,
  hostTensor,
  sizeOf,
  stridesOf,
  transposeHost,
  valuesOf,
  type HostTensor,
} from './host-tensor';
import { attrBool, attrDtype, attrInt, attrInts } from './node-attrs';
import { resolveStridedSlice } from './strided-slice';
import { expandDimsShape, normAxis, reshapeTarget, sliceMasks, squeezeShape } from './tf-shapes';

type Fold = (node: TfNode, inputs: readonly HostTensor[]) => HostTensor;

const withShape = (t: HostTensor, shape: readonly number[]): HostTensor => ({
  dtype: t.dtype,
  shape: [...shape],
  data: t.data,
});

/** Concatenation along `axis` of tensors equal in every other dim. */
function concat(parts: readonly HostTensor[], axis: number): HostTensor {
  const first = parts[0]!;
  const outer = sizeOf(first.shape.slice(0, axis));
  const shape = [...first.shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis]!, 0);
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const p of parts) {
      const block = sizeOf(p.shape.slice(axis));
      for (let i = 0; i < block; i++) out.push(p.data[o * block + i]!);
    }
  return hostTensor(first.dtype, shape, out);
}

function stridedSlice(node: TfNode, [x, begin, end, strides]: readonly HostTensor[]): HostTensor {
  const s = resolveStridedSlice(
    x!.shape,
    valuesOf(begin!),
    valuesOf(end!),
    valuesOf(strides!),
    sliceMasks(node),
  );
  const inStrides = stridesOf(x!.shape);
  const full = s.axes.map((a) => a.length);
  const out = new Array<number>(sizeOf(full));
  const at = new Array<number>(full.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let j = 0;
    s.axes.forEach((a, d) => (j += (a.start + at[d]! * a.step) * inStrides[d]!));
    out[i] = x!.data[j]!;
    for (let d = full.length - 1; d >= 0; d--) {
      if (++at[d]! < full[d]!) break;
      at[d] = 0;
    }
  }
  return hostTensor(x!.dtype, s.outputShape, out);
}

function sum(node: TfNode, [x, axesTensor]: readonly HostTensor[]): HostTensor {
  const rank = x!.shape.length;
  const axes = new Set(valuesOf(axesTensor!).map((a) => normAxis(a, rank)));
  const kept = x!.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const out = new Float64Array(sizeOf(kept));
  const index = broadcastIndex(kept, x!.shape);
  for (let i = 0; i < x!.data.length; i++) out[index[i]!] = out[index[i]!]! + x!.data[i]!;
  const shape = attrBool(node, 'keep_dims') ? kept : x!.shape.filter((_, i) => !axes.has(i));
  return hostTensor(x!.dtype, shape, out);
}

function gather(node: TfNode, [params, indices, axisTensor]: readonly HostTensor[]): HostTensor {
  if (attrInt(node, 'batch_dims', 0) !== 0) throw new Error(`${node.name}: batch_dims`);
  const axis = normAxis(valuesOf(axisTensor!)[0]!, params!.shape.length);
  const outer = sizeOf(params!.shape.slice(0, axis));
  const inner = sizeOf(params!.shape.slice(axis + 1));
  const dim = params!.shape[axis]!;
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const k of valuesOf(indices!)) {
      if (k < 0 || k >= dim) throw new Error(`${node.name}: index ${k} out of ${dim}`);
      for (let i = 0; i < inner; i++) out.push(params!.data[(o * dim + k) * inner + i]!);
    }
  const shape = [
    ...params!.shape.slice(0, axis),
    ...indices!.shape,
    ...params!.shape.slice(axis + 1),
  ];
  return hostTensor(params!.dtype, shape, out);
}

/** Folds for TensorFlow's shape and data-movement ops, keyed by op name. */
export const SHAPE_FOLDS: Readonly<Record<string, Fold>> = {
  Identity: (_node, [x]) => x!,
  Pack: (node, parts) => {
    const rank = parts[0]!.shape.length + 1;
    const axis = normAxis(attrInt(node, 'axis', 0), rank);
    const expanded = parts.map((p) => withShape(p, expandDimsShape(p.shape, axis)));
    return concat(expanded, axis);
  },
  ConcatV2: (_node, inputs) => {
    const parts = inputs.slice(0, -1);
    return concat(parts, normAxis(valuesOf(inputs.at(-1)!)[0]!, parts[0]!.shape.length));
  },
  Reshape: (_node, [x, shape]) => withShape(x!, reshapeTarget(x!.shape, valuesOf(shape!))),
  ExpandDims: (_node, [x, axis]) => withShape(x!, expandDimsShape(x!.shape, valuesOf(axis!)[0]!)),
  Squeeze: (node, [x]) => withShape(x!, squeezeShape(x!.shape, attrInts(node, 'squeeze_dims'))),
  BroadcastTo: (_node, [x, shape]) => {
    const to = valuesOf(shape!);
    const index = broadcastIndex(x!.shape, to);
    return hostTensor(
      x!.dtype,
      to,
      Array.from(index, (i) => x!.data[i]!),
    );
  },
  Transpose: (_node, [x, perm]) => transposeHost(x!, valuesOf(perm!)),
  StridedSlice: stridedSlice,
  Sum: sum,
  GatherV2: gather,
  Range: (node, [start, limit, delta]) => {
    const [a, b, d] = [start!, limit!, delta!].map((t) => t.data[0]!) as [number, number, number];
    const count = Math.max(0, Math.ceil((b - a) / d));
    return hostTensor(
      attrDtype(node, 'Tidx'),
      [count],
      Array.from({ length: count }, (_, i) => a + i * d),
    );
  },
};
