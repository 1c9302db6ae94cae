import type { TfNode } from './graph-model';
import {
  broadcastIndex,
  broadcastShapes,
  hostTensor,
  sizeOf,
  type HostDtype,
  type HostTensor,
} from './host-tensor';
import { attrDtype } from './node-attrs';

type Fold = (node: TfNode, inputs: readonly HostTensor[]) => HostTensor;
type Scalar = (a: number, b: number) => number;

/** Elementwise ops on any number of broadcast inputs; the result keeps TensorFlow's dtype. */
function elementwise(
  inputs: readonly HostTensor[],
  dtype: HostDtype,
  f: (values: readonly number[]) => number,
): HostTensor {
  const shape = broadcastShapes(inputs.map((t) => t.shape));
  const n = sizeOf(shape);
  const index = inputs.map((t) => (sizeOf(t.shape) === n ? null : broadcastIndex(t.shape, shape)));
  const out = new Array<number>(n);
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) args[k] = inputs[k]!.data[index[k]?.[i] ?? i]!;
    out[i] = f(args);
  }
  return hostTensor(dtype, shape, out);
}

const unary =
  (float: (x: number) => number, int?: (x: number) => number): Fold =>
  (node, [x]) => {
    const f = x!.dtype === 'int32' ? int : float;
    if (!f) throw new Error(`${node.name}: ${node.op} on ${x!.dtype}`);
    return elementwise([x!], x!.dtype, ([v]) => f(v!));
  };

/** int32 results wrap as TensorFlow's do; `imul` keeps products exact before wrapping. */
const binary =
  (float: Scalar, int: Scalar = float): Fold =>
  (node, [a, b]) => {
    if (a!.dtype !== b!.dtype) throw new Error(`${node.name}: ${a!.dtype} vs ${b!.dtype}`);
    const f = a!.dtype === 'int32' ? int : float;
    return elementwise([a!, b!], a!.dtype, ([p, q]) => f(p!, q!));
  };

const compare =
  (f: (a: number, b: number) => boolean): Fold =>
  (_node, [a, b]) =>
    elementwise([a!, b!], 'bool', ([p, q]) => (f(p!, q!) ? 1 : 0));

function cast(node: TfNode, [x]: readonly HostTensor[]): HostTensor {
  const to = attrDtype(node, 'DstT');
  const convert: (v: number) => number =
    to === 'bool' ? (v) => (v !== 0 ? 1 : 0) : to === 'int32' ? Math.trunc : (v) => v;
  return elementwise([x!], to, ([v]) => convert(v!));
}

/** Python's floor division and modulo (the sign follows the divisor), as TensorFlow's. */
const floorDiv: Scalar = (a, b) => Math.floor(a / b);
const floorMod: Scalar = (a, b) => a - Math.floor(a / b) * b;

/** Folds for TensorFlow's elementwise ops, keyed by op name. */
export const ELEMENTWISE_FOLDS: Readonly<Record<string, Fold>> = {
  Abs: unary(Math.abs, Math.abs),
  Sign: unary(Math.sign, Math.sign),
  Neg: unary(
    (x) => -x,
    (x) => -x,
  ),
  Square: unary(
    (x) => x * x,
    (x) => Math.imul(x, x),
  ),
  Floor: unary(Math.floor),
  Reciprocal: unary((x) => 1 / x),
  Exp: unary(Math.exp),
  Rsqrt: unary((x) => 1 / Math.sqrt(x)),
  Tanh: unary(Math.tanh),
  AddV2: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b, Math.imul),
  RealDiv: binary((a, b) => a / b),
  Maximum: binary(Math.max),
  Minimum: binary(Math.min),
  FloorDiv: binary(floorDiv),
  FloorMod: binary(floorMod),
  NotEqual: compare((a, b) => a !== b),
  Greater: compare((a, b) => a > b),
  GreaterEqual: compare((a, b) => a >= b),
  Less: compare((a, b) => a < b),
  LessEqual: compare((a, b) => a <= b),
  LogicalAnd: compare((a, b) => a !== 0 && b !== 0),
  SelectV2: (_node, [c, a, b]) => elementwise([c!, a!, b!], a!.dtype, ([p, q, r]) => (p ? q! : r!)),
  Cast: cast,
};
