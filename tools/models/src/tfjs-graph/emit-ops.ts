import type { TfNode } from './graph-model';
import { broadcastShapes, transposeHost, valuesOf, type HostTensor } from './host-tensor';
import { attrBool, attrInts, attrString } from './node-attrs';
import type { OnnxEmitter } from './onnx-emitter';
import { resolveStridedSlice } from './strided-slice';
import { emitEinsum } from './emit-einsum';
import {
  convPadding,
  expandDimsShape,
  normAxis,
  reshapeTarget,
  sliceMasks,
  squeezeShape,
} from './tf-shapes';
import { dtypeOf, hostValue, shapeOf, type GraphValue, type Value } from './values';

type Emit = (node: TfNode, inputs: readonly Value[], e: OnnxEmitter) => GraphValue;

export function hostArg(node: TfNode, v: Value | undefined, what: string): HostTensor {
  if (v?.kind !== 'host') throw new Error(`${node.name}: ${what} must be known when converting`);
  return v.tensor;
}

export function graphArg(node: TfNode, v: Value | undefined): GraphValue {
  if (v?.kind !== 'graph') throw new Error(`${node.name}: expected a computed input`);
  return v;
}

const NCHW = [0, 3, 1, 2];
const NHWC = [0, 2, 3, 1];

/** Strides and dilations of an NHWC conv as [height, width]. */
function spatial(node: TfNode, name: string): [number, number] {
  const v = attrInts(node, name);
  if (v.length === 0) return [1, 1];
  if (v[0] !== 1 || v[3] !== 1) throw new Error(`${node.name}: ${name} on batch or channels`);
  return [v[1]!, v[2]!];
}

function assertNhwc(node: TfNode): void {
  const format = node.attr.data_format ? attrString(node, 'data_format') : 'NHWC';
  if (format !== 'NHWC') throw new Error(`${node.name}: data_format ${format}`);
}

/** TF Conv2D (NHWC input, HWIO filter) as ONNX Conv between NCHW transposes. */
const conv2d: Emit = (node, [x, filter], e) => {
  assertNhwc(node);
  const input = graphArg(node, x);
  const w = hostArg(node, filter, 'the filter');
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const [n, h, wd, c] = input.shape as [number, number, number, number];
  if (c % ci !== 0) throw new Error(`${node.name}: ${c} channels into a ${ci}-channel filter`);
  const strides = spatial(node, 'strides');
  const dilations = spatial(node, 'dilations');
  const padding = attrString(node, 'padding');
  const [pt, pb] = convPadding(padding, h, kh, strides[0], dilations[0]);
  const [pl, pr] = convPadding(padding, wd, kw, strides[1], dilations[1]);
  const out = (size: number, k: number, s: number, d: number, p: number) =>
    Math.floor((size + p - (k - 1) * d - 1) / s) + 1;
  const unpadded = pt + pb + pl + pr === 0;
  if (kh === 1 && kw === 1 && c === ci && unpadded && strides.every((s) => s === 1)) {
    // A pointwise conv is a matmul over the channel axis, which NHWC already holds last: no
    // layout change around it (216 of the deblurring graph's 325 convs).
    const weights = hostValue({ ...w, shape: [ci, co] });
    return e.node('MatMul', [input.name, e.use(weights)], 'float32', [n, h, wd, co]);
  }
  const shape = [
    n,
    co,
    out(h, kh, strides[0], dilations[0], pt + pb),
    out(wd, kw, strides[1], dilations[1], pl + pr),
  ];
  const y = e.node(
    'Conv',
    [e.transpose(input, NCHW).name, e.use(hostValue(transposeHost(w, [3, 2, 0, 1])))],
    'float32',
    shape,
    { kernel_shape: [kh, kw], strides, dilations, pads: [pt, pl, pb, pr], group: c / ci },
  );
  return e.transpose(y, NHWC);
};

/**
 * TF Conv2DBackpropInput (a transposed conv; filter [kh, kw, out, in]) as ONNX ConvTranspose,
 * whose weight is [in, out, kh, kw]. The output size TF is given is reached with the forward
 * conv's padding plus `output_padding` at the end, where TF's gradient adds zero rows too.
 */
const conv2dBackpropInput: Emit = (node, [sizes, filter, dy], e) => {
  assertNhwc(node);
  const outSize = valuesOf(hostArg(node, sizes, 'input_sizes'));
  const w = hostArg(node, filter, 'the filter');
  const input = graphArg(node, dy);
  const [kh, kw, co, ci] = w.shape as [number, number, number, number];
  if (input.shape[3] !== ci) throw new Error(`${node.name}: channels ${input.shape[3]} vs ${ci}`);
  const strides = spatial(node, 'strides');
  const dilations = spatial(node, 'dilations');
  const padding = attrString(node, 'padding');
  const pads: number[][] = [];
  const outputPadding = [0, 1].map((i) => {
    const k = i === 0 ? kh : kw;
    const [begin, end] = convPadding(padding, outSize[1 + i]!, k, strides[i]!, dilations[i]!);
    pads.push([begin, end]);
    const natural = (input.shape[1 + i]! - 1) * strides[i]! + (k - 1) * dilations[i]! + 1;
    const extra = outSize[1 + i]! + begin + end - natural;
    if (extra < 0 || extra >= strides[i]!) throw new Error(`${node.name}: output size ${outSize}`);
    return extra;
  });
  const y = e.node(
    'ConvTranspose',
    [e.transpose(input, NCHW).name, e.use(hostValue(transposeHost(w, [3, 2, 0, 1])))],
    'float32',
    [outSize[0]!, co, outSize[1]!, outSize[2]!],
    {
      kernel_shape: [kh, kw],
      strides,
      dilations,
      pads: [pads[0]![0]!, pads[1]![0]!, pads[0]![1]!, pads[1]![1]!],
      output_padding: outputPadding,
    },
  );
  return e.transpose(y, NHWC);
};

const reshaped =
  (target: (node: TfNode, inputs: readonly Value[], shape: readonly number[]) => number[]): Emit =>
  (node, inputs, e) => {
    const x = graphArg(node, inputs[0]);
    return e.reshape(x, target(node, inputs, x.shape));
  };

const stridedSlice: Emit = (node, [x, begin, end, strides], e) => {
  const input = graphArg(node, x);
  const s = resolveStridedSlice(
    input.shape,
    valuesOf(hostArg(node, begin, 'begin')),
    valuesOf(hostArg(node, end, 'end')),
    valuesOf(hostArg(node, strides, 'strides')),
    sliceMasks(node),
  );
  const cut = s.axes
    .map((a, axis) => ({ ...a, axis }))
    .filter((a) => a.length !== input.shape[a.axis] || a.step !== 1);
  let y = input;
  if (cut.length) {
    // Going backward, an end of -1 means "past index 0"; ONNX reads -1 as the last index.
    const ends = cut.map((a) => (a.end < 0 ? -input.shape[a.axis]! - 1 : a.end));
    y = e.node(
      'Slice',
      [
        input.name,
        e.int64(cut.map((a) => a.start)),
        e.int64(ends),
        e.int64(cut.map((a) => a.axis)),
        e.int64(cut.map((a) => a.step)),
      ],
      input.dtype,
      s.axes.map((a) => a.length),
    );
  }
  return e.reshape(y, s.outputShape);
};

const sum: Emit = (node, [x, axes], e) => {
  const input = graphArg(node, x);
  const rank = input.shape.length;
  const list = valuesOf(hostArg(node, axes, 'axes')).map((a) => normAxis(a, rank));
  const keep = attrBool(node, 'keep_dims');
  const shape = input.shape.flatMap((d, i) => (list.includes(i) ? (keep ? [1] : []) : [d]));
  return e.node('ReduceSum', [input.name, e.int64(list)], input.dtype, shape, {
    keepdims: keep ? 1 : 0,
  });
};

const concat: Emit = (node, inputs, e) => {
  const parts = inputs.slice(0, -1);
  const rank = shapeOf(parts[0]!).length;
  const axis = normAxis(valuesOf(hostArg(node, inputs.at(-1), 'axis'))[0]!, rank);
  const shape = [...shapeOf(parts[0]!)];
  shape[axis] = parts.reduce((s, p) => s + shapeOf(p)[axis]!, 0);
  return e.node(
    'Concat',
    parts.map((p) => e.use(p)),
    dtypeOf(parts[0]!),
    shape,
    { axis },
  );
};

const gather: Emit = (node, [params, indices, axisArg], e) => {
  const x = graphArg(node, params);
  const index = hostArg(node, indices, 'indices');
  const axis = normAxis(valuesOf(hostArg(node, axisArg, 'axis'))[0]!, x.shape.length);
  const shape = [...x.shape.slice(0, axis), ...index.shape, ...x.shape.slice(axis + 1)];
  const ids = e.g.int64(valuesOf(index), index.shape);
  return e.node('Gather', [x.name, ids], x.dtype, shape, { axis });
};

const broadcastTo: Emit = (node, [x, target], e) => {
  const input = graphArg(node, x);
  const to = valuesOf(hostArg(node, target, 'shape'));
  const shape = broadcastShapes([input.shape, to]);
  return e.node('Expand', [input.name, e.int64(to)], input.dtype, shape);
};

const elementwise =
  (op: string): Emit =>
  (_node, inputs, e) =>
    e.elementwise(op, inputs);

/** ONNX for TensorFlow ops with at least one computed input, keyed by TF op name. */
export const EMITTERS: Readonly<Record<string, Emit>> = {
  Conv2D: conv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Einsum: emitEinsum,
  AddV2: elementwise('Add'),
  Sub: elementwise('Sub'),
  Mul: elementwise('Mul'),
  RealDiv: elementwise('Div'),
  Maximum: elementwise('Max'),
  Minimum: elementwise('Min'),
  Neg: elementwise('Neg'),
  Exp: elementwise('Exp'),
  Tanh: elementwise('Tanh'),
  Reciprocal: elementwise('Reciprocal'),
  Square: (_node, [x], e) => e.elementwise('Mul', [x!, x!]),
  Rsqrt: (_node, [x], e) => e.elementwise('Reciprocal', [e.elementwise('Sqrt', [x!])]),
  GreaterEqual: (_node, inputs, e) => e.elementwise('GreaterOrEqual', inputs, 'bool'),
  SelectV2: (_node, [c, a, b], e) => e.elementwise('Where', [c!, a!, b!], dtypeOf(a!)),
  Identity: (node, [x]) => graphArg(node, x),
  Reshape: reshaped((node, inputs, shape) =>
    reshapeTarget(shape, valuesOf(hostArg(node, inputs[1], 'shape'))),
  ),
  ExpandDims: reshaped((node, inputs, shape) =>
    expandDimsShape(shape, valuesOf(hostArg(node, inputs[1], 'axis'))[0]!),
  ),
  Squeeze: reshaped((node, _inputs, shape) => squeezeShape(shape, attrInts(node, 'squeeze_dims'))),
  Transpose: (node, [x, perm], e) =>
    e.transpose(graphArg(node, x), valuesOf(hostArg(node, perm, 'perm'))),
  StridedSlice: stridedSlice,
  Sum: sum,
  ConcatV2: concat,
  GatherV2: gather,
  BroadcastTo: broadcastTo,
};
