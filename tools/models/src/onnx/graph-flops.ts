import { onnx } from './graph-builder';

/** FLOPs by kind; `total` is their sum. */
export interface GraphFlops {
  conv: number;
  matmul: number;
  attention: number;
  gemm: number;
  total: number;
}

interface Value {
  shape: number[];
  /** Known contents of small integer (or constant float) tensors, row-major. */
  data?: number[];
}

const { INT32, INT64, FLOAT } = onnx.TensorProto.DataType;
const VALUE_LIMIT = 64;

const SAME_SHAPE = new Set([
  'Identity',
  'Cast',
  'Sigmoid',
  'Erf',
  'Cos',
  'Sin',
  'Exp',
  'Tanh',
  'FastGelu', // com.microsoft: x and an optional bias over its last axis (onnx/fuse-tanh-gelu.ts)
  'Relu',
  'Neg',
  'Sqrt',
  'Reciprocal',
  'Softmax',
  'Clip',
  'InstanceNormalization',
  'LayerNormalization',
  'RandomNormalLike',
]);
const BROADCAST = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Where',
  'Equal',
  'Less',
  'Greater',
  'GreaterOrEqual',
  'Max',
  'Min',
]);

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function broadcast(shapes: readonly number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) throw new Error(`cannot broadcast ${shapes}`);
    return big;
  });
}

function attr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}
const intAttr = (node: onnx.INodeProto, name: string, fallback: number): number => {
  const a = attr(node, name);
  return a?.i == null ? fallback : Number(a.i);
};
const intsAttr = (node: onnx.INodeProto, name: string): number[] | undefined =>
  attr(node, name)?.ints?.map(Number);

function initializerValue(t: onnx.ITensorProto): Value {
  const shape = (t.dims ?? []).map(Number);
  const count = product(shape);
  const raw = t.rawData;
  if (!raw || raw.byteLength === 0 || count > VALUE_LIMIT) return { shape };
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (t.dataType === INT64)
    return {
      shape,
      data: Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true))),
    };
  if (t.dataType === INT32)
    return { shape, data: Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true)) };
  if (t.dataType === FLOAT)
    return { shape, data: Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true)) };
  return { shape };
}

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/**
 * FLOPs of one run of a graph at given input shapes: 2 × multiply-adds of every Conv, Gemm and
 * MatMul, with the shapes inferred through the graph from the inputs (symbolic dims need a
 * size, so a count is always for one concrete run). MatMuls are split by whether one side is a
 * weight (`matmul`: linear layers) or both are activations (`attention`: scores and mixing).
 * Everything else (norms, softmax, elementwise) is left out: it is not what a matmul floor
 * measures, and is a few percent of a diffusion graph.
 *
 * Shape inference covers the ops Loupe's graph builders write; an op it does not know is an
 * error rather than a silent zero. Small integer tensors (Shape, Slice, Concat of shapes) are
 * also evaluated, since Reshape targets and slice bounds are computed in-graph.
 *
 * @example graphFlops(onnx.ModelProto.decode(bytes).graph!, { sample: [2, 4, 64, 64], … })
 *
 * `sizes` gives every graph input's concrete shape (symbolic dims resolved by the caller).
 */
export function graphFlops(
  graph: onnx.IGraphProto,
  sizes: Readonly<Record<string, readonly number[]>>,
): GraphFlops {
  const { counts } = walk(graph, sizes);
  const total = counts.conv + counts.matmul + counts.attention + counts.gemm;
  return { ...counts, total };
}

/**
 * The shape of every value of a graph at given input shapes, inferred as `graphFlops` infers
 * them: for rewrites that must know a tensor's rank (which axis is the last one).
 */
export function inferShapes(
  graph: onnx.IGraphProto,
  sizes: Readonly<Record<string, readonly number[]>>,
): ReadonlyMap<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  for (const [name, v] of walk(graph, sizes).values) shapes.set(name, v.shape);
  return shapes;
}

function walk(graph: onnx.IGraphProto, sizes: Readonly<Record<string, readonly number[]>>) {
  const values = new Map<string, Value>();
  const weights = new Set<string>();
  for (const t of graph.initializer ?? []) {
    values.set(t.name!, initializerValue(t));
    weights.add(t.name!);
  }
  for (const input of graph.input ?? []) {
    if (values.has(input.name!)) continue;
    const shape = sizes[input.name!];
    if (!shape) throw new Error(`no size given for graph input ${input.name}`);
    values.set(input.name!, { shape: [...shape] });
  }
  const counts = { conv: 0, matmul: 0, attention: 0, gemm: 0 };
  const get = (name: string | undefined): Value => {
    const v = name ? values.get(name) : undefined;
    if (!v) throw new Error(`no shape for ${name}`);
    return v;
  };

  for (const node of graph.node ?? []) {
    const ins = node.input ?? [];
    const op = node.opType!;
    const outputs = infer(node, op, ins, get, counts, weights);
    outputs.forEach((v, i) => values.set(node.output![i]!, v));
  }
  return { values, counts };
}

function infer(
  node: onnx.INodeProto,
  op: string,
  ins: readonly string[],
  get: (name: string | undefined) => Value,
  counts: Omit<GraphFlops, 'total'>,
  weights: ReadonlySet<string>,
): Value[] {
  const x = () => get(ins[0]);
  if (SAME_SHAPE.has(op)) {
    const v = x();
    return [op === 'Cast' || op === 'Identity' ? v : { shape: v.shape }];
  }
  if (BROADCAST.has(op)) {
    const args = ins.filter((n) => n !== '').map(get);
    const shape = broadcast(args.map((a) => a.shape));
    const known = args.every((a) => a.data) && product(shape) <= VALUE_LIMIT;
    if (!known || (op !== 'Add' && op !== 'Mul' && op !== 'Sub')) return [{ shape }];
    if (args.some((a) => a.data!.length !== 1 && a.data!.length !== product(shape)))
      return [{ shape }];
    const at = (a: Value, i: number) => (a.data!.length === 1 ? a.data![0]! : a.data![i]!);
    const f = {
      Add: (p: number, q: number) => p + q,
      Mul: (p: number, q: number) => p * q,
      Sub: (p: number, q: number) => p - q,
    }[op];
    return [
      {
        shape,
        data: Array.from({ length: product(shape) }, (_, i) => f(at(args[0]!, i), at(args[1]!, i))),
      },
    ];
  }
  switch (op) {
    case 'Conv': {
      const [n, , ...spatial] = x().shape;
      const w = get(ins[1]).shape;
      const strides = intsAttr(node, 'strides') ?? spatial.map(() => 1);
      const pads = intsAttr(node, 'pads') ?? [...spatial, ...spatial].map(() => 0);
      const dilations = intsAttr(node, 'dilations') ?? spatial.map(() => 1);
      const out = spatial.map((size, i) => {
        const k = (w[2 + i]! - 1) * dilations[i]! + 1;
        return Math.floor((size + pads[i]! + pads[i + spatial.length]! - k) / strides[i]!) + 1;
      });
      const shape = [n!, w[0]!, ...out];
      counts.conv += 2 * product(shape) * product(w.slice(1));
      return [{ shape }];
    }
    case 'ConvTranspose': {
      // Every input pixel scatters its channels through the whole kernel: 2 × N·Cin·H·W × Cout/group·kh·kw.
      const [n, , ...spatial] = x().shape;
      const w = get(ins[1]).shape;
      const group = intAttr(node, 'group', 1);
      const strides = intsAttr(node, 'strides') ?? spatial.map(() => 1);
      const pads = intsAttr(node, 'pads') ?? [...spatial, ...spatial].map(() => 0);
      const dilations = intsAttr(node, 'dilations') ?? spatial.map(() => 1);
      const extra = intsAttr(node, 'output_padding') ?? spatial.map(() => 0);
      const out = spatial.map(
        (size, i) =>
          strides[i]! * (size - 1) +
          extra[i]! +
          (w[2 + i]! - 1) * dilations[i]! +
          1 -
          pads[i]! -
          pads[i + spatial.length]!,
      );
      counts.conv += 2 * product(x().shape) * product(w.slice(1));
      return [{ shape: [n!, w[1]! * group, ...out] }];
    }
    case 'Expand': {
      const target = get(ins[1]).data;
      if (!target) throw new Error(`Expand ${node.name}: shape not known`);
      return [{ shape: broadcast([x().shape, target]) }];
    }
    case 'MatMul': {
      const a = x().shape;
      const b = get(ins[1]).shape;
      if (a.length < 2 || b.length < 2) throw new Error(`MatMul ${node.name}: 1-D operands`);
      const [m, k] = a.slice(-2) as [number, number];
      const [k2, n] = b.slice(-2) as [number, number];
      if (k !== k2) throw new Error(`MatMul ${node.name}: ${a} × ${b}`);
      const batch = broadcast([a.slice(0, -2), b.slice(0, -2)]);
      const flops = 2 * product(batch) * m * k * n;
      if (weights.has(ins[0]!) || weights.has(ins[1]!)) counts.matmul += flops;
      else counts.attention += flops;
      return [{ shape: [...batch, m, n] }];
    }
    case 'Gemm': {
      const a = x().shape;
      const b = get(ins[1]).shape;
      const [m, k] = intAttr(node, 'transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
      const n = intAttr(node, 'transB', 0) ? b[0]! : b[1]!;
      counts.gemm += 2 * m * k * n;
      return [{ shape: [m, n] }];
    }
    case 'Shape': {
      const shape = x().shape;
      return [{ shape: [shape.length], data: [...shape] }];
    }
    case 'Reshape': {
      const input = x();
      const target = get(ins[1]).data;
      if (!target) throw new Error(`Reshape ${node.name}: target shape not known`);
      const shape = target.map((d, i) => (d === 0 ? input.shape[i]! : d));
      const free = shape.indexOf(-1);
      if (free >= 0) shape[free] = product(input.shape) / -product(shape);
      return [{ shape, ...(input.data ? { data: input.data } : {}) }];
    }
    case 'Transpose': {
      const shape = x().shape;
      const perm = intsAttr(node, 'perm') ?? shape.map((_, i) => shape.length - 1 - i);
      return [{ shape: perm.map((p) => shape[p]!) }];
    }
    case 'Unsqueeze': {
      const shape = [...x().shape];
      const axes = get(ins[1]).data;
      if (!axes) throw new Error(`Unsqueeze ${node.name}: axes not known`);
      const rank = shape.length + axes.length;
      for (const a of axes.map((a) => normAxis(a, rank)).sort((p, q) => p - q))
        shape.splice(a, 0, 1);
      return [{ shape, ...(x().data ? { data: x().data } : {}) }];
    }
    case 'Concat': {
      const args = ins.map(get);
      const axis = normAxis(intAttr(node, 'axis', 0), args[0]!.shape.length);
      const shape = [...args[0]!.shape];
      shape[axis] = args.reduce((s, a) => s + a.shape[axis]!, 0);
      const data =
        shape.length === 1 && args.every((a) => a.data) ? args.flatMap((a) => a.data!) : undefined;
      return [{ shape, ...(data ? { data } : {}) }];
    }
    case 'Split': {
      const shape = x().shape;
      const axis = normAxis(intAttr(node, 'axis', 0), shape.length);
      const parts = node.output!.length;
      const given = ins[1] ? get(ins[1]).data : undefined;
      const lengths = given ?? Array.from({ length: parts }, () => shape[axis]! / parts);
      return lengths
        .map((l) => shape.map((d, i) => (i === axis ? l : d)))
        .map((s) => ({ shape: s }));
    }
    case 'Slice': {
      const input = x();
      const starts = get(ins[1]).data;
      const ends = get(ins[2]).data;
      const axes = ins[3] ? get(ins[3]).data : starts?.map((_, i) => i);
      const steps = ins[4] ? get(ins[4]).data : starts?.map(() => 1);
      if (!starts || !ends || !axes || !steps)
        throw new Error(`Slice ${node.name}: bounds not known`);
      const shape = [...input.shape];
      const ranges = shape.map((d) => [0, d, 1] as [number, number, number]);
      axes.forEach((a, i) => {
        const axis = normAxis(a, shape.length);
        const d = shape[axis]!;
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
        if (steps[i] !== 1) throw new Error(`Slice ${node.name}: steps other than 1`);
        ranges[axis] = [clamp(starts[i]!), clamp(ends[i]!), 1];
        shape[axis] = Math.max(0, ranges[axis]![1] - ranges[axis]![0]);
      });
      const data =
        input.data && shape.length === 1
          ? input.data.slice(ranges[0]![0], ranges[0]![1])
          : undefined;
      return [{ shape, ...(data ? { data } : {}) }];
    }
    case 'Gather': {
      const data = x();
      const indices = get(ins[1]);
      const axis = normAxis(intAttr(node, 'axis', 0), data.shape.length);
      const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
      const picked =
        data.shape.length === 1 && data.data && indices.data
          ? indices.data.map((i) => data.data![i < 0 ? i + data.shape[0]! : i]!)
          : undefined;
      return [{ shape, ...(picked ? { data: picked } : {}) }];
    }
    case 'Range': {
      const [start, limit, delta] = ins.map((n) => get(n).data?.[0]);
      if (start === undefined || limit === undefined || delta === undefined)
        throw new Error(`Range ${node.name}: bounds not known`);
      const count = Math.max(0, Math.ceil((limit - start) / delta));
      return [{ shape: [count], data: Array.from({ length: count }, (_, i) => start + i * delta) }];
    }
    case 'ArgMax':
    case 'ReduceSum':
    case 'ReduceMean': {
      const shape = x().shape;
      const keep = intAttr(node, 'keepdims', 1) === 1;
      const axesValue =
        op === 'ArgMax' ? [intAttr(node, 'axis', 0)] : ins[1] ? get(ins[1]).data : undefined;
      const axes = (axesValue ?? shape.map((_, i) => i)).map((a) => normAxis(a, shape.length));
      return [{ shape: shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d])) }];
    }
    case 'Resize': {
      const input = x();
      const scales = ins[2] ? get(ins[2]).data : undefined;
      const sizes = ins[3] ? get(ins[3]).data : undefined;
      if (sizes) return [{ shape: sizes }];
      if (!scales) throw new Error(`Resize ${node.name}: scales not known`);
      return [{ shape: input.shape.map((d, i) => Math.floor(d * scales[i]!)) }];
    }
    default:
      throw new Error(`graphFlops: no shape inference for ${op} (${node.name})`);
  }
}
