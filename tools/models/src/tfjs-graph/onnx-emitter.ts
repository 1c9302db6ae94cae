import type { GraphBuilder } from '../onnx/graph-builder';
import { broadcastShapes, transposeHost, type HostDtype, type HostTensor } from './host-tensor';
import { shapeOf, type GraphValue, type Value } from './values';

const isIdentity = (perm: readonly number[]) => perm.every((p, i) => p === i);
const sameShape = (a: readonly number[], b: readonly number[]) => a.join(',') === b.join(',');
const inverse = (perm: readonly number[]) => perm.map((_, i) => perm.indexOf(i));

/** Float ops that commute with a transpose of their one computed operand. */
const PUSHABLE = new Set([
  ...['Add', 'Sub', 'Mul', 'Div', 'Max', 'Min'],
  ...['Neg', 'Exp', 'Tanh', 'Sqrt', 'Reciprocal'],
]);

/**
 * Writes ONNX nodes for the graph's dynamic part. Host tensors become initializers once each
 * (a weight read by several nodes is stored once), and a Transpose of a Transpose is composed,
 * so the NHWC→NCHW→NHWC pairs around consecutive convs cancel instead of running.
 */
export class OnnxEmitter {
  private readonly initializers = new WeakMap<HostTensor, string>();
  private readonly scalars = new Map<number, string>();
  /** Transposes written so far: output name → what it transposed and how. */
  private readonly transposes = new Map<string, { input: GraphValue; perm: readonly number[] }>();
  /**
   * Transposes that only put a result into the order TF's graph expects (einsum outputs):
   * elementwise ops with constants run before them instead, so that the graph's own transpose
   * back (MAXIM's gMLP `swapaxes → dense → +bias → swapaxes`) composes with them to nothing.
   * One that is never cancelled costs what it did before; one that is cancelled is pruned.
   */
  private readonly deferred = new Set<string>();

  constructor(readonly g: GraphBuilder) {}

  /** The value's ONNX name; a host tensor is written as an initializer the first time. */
  use(v: Value): string {
    if (v.kind === 'graph') return v.name;
    const known = this.initializers.get(v.tensor);
    if (known) return known;
    const t = v.tensor;
    let name: string;
    if (t.dtype === 'float32') name = this.g.constant(t.data as Float32Array, t.shape);
    else if (t.dtype === 'int32') name = this.g.int32(Array.from(t.data), t.shape);
    else throw new Error('bool constants are not written into graphs');
    this.initializers.set(t, name);
    return name;
  }

  /**
   * An elementwise operand that does not widen the result: a host tensor of one repeated value
   * is written as a scalar (MAXIM's folded BroadcastTo constants would otherwise be stored at
   * full activation size).
   */
  private narrowOperand(v: Value): string {
    if (v.kind === 'host' && v.tensor.dtype === 'float32' && v.tensor.data.length > 1) {
      const first = v.tensor.data[0]!;
      if (v.tensor.data.every((x) => x === first)) {
        let name = this.scalars.get(first);
        if (!name) {
          name = this.g.constant([first], []);
          this.scalars.set(first, name);
        }
        return name;
      }
    }
    return this.use(v);
  }

  /** An int64 initializer for shape, axes and index arguments. */
  int64(values: readonly number[]): string {
    return this.g.int64(values);
  }

  node(
    op: string,
    inputs: readonly string[],
    dtype: HostDtype,
    shape: readonly number[],
    attrs: Parameters<GraphBuilder['node']>[2] = {},
  ): GraphValue {
    return { kind: 'graph', name: this.g.node(op, inputs, attrs), dtype, shape };
  }

  /** An elementwise op over broadcast operands; `dtype` defaults to the first graph value's. */
  elementwise(op: string, inputs: readonly Value[], dtype?: HostDtype): GraphValue {
    const pushed = this.beforeDeferredTranspose(op, inputs, dtype);
    if (pushed) return pushed;
    const shapes = inputs.map(shapeOf);
    const shape = broadcastShapes(shapes);
    const names = inputs.map((v, i) => {
      const rest = broadcastShapes(shapes.filter((_, j) => j !== i));
      return sameShape(rest, shape) ? this.narrowOperand(v) : this.use(v);
    });
    const first = inputs.find((v) => v.kind === 'graph')!;
    return this.node(op, names, dtype ?? first.dtype, shape);
  }

  /**
   * `op` run on the un-transposed source of a deferred transpose, with its constant operands
   * permuted to match, then the transpose deferred again; undefined when that does not apply.
   */
  private beforeDeferredTranspose(
    op: string,
    inputs: readonly Value[],
    dtype?: HostDtype,
  ): GraphValue | undefined {
    const graphs = inputs.filter((v) => v.kind === 'graph');
    const v = graphs[0];
    if (!v || !PUSHABLE.has(op) || !this.deferred.has(v.name)) return undefined;
    if (graphs.some((g) => g.name !== v.name) || v.dtype !== 'float32') return undefined;
    if (!sameShape(broadcastShapes(inputs.map(shapeOf)), v.shape)) return undefined;
    const { input: source, perm } = this.transposes.get(v.name)!;
    const back = inverse(perm);
    const operands = inputs.map((x): Value => {
      if (x.kind === 'graph') return source;
      const t = x.tensor;
      const full = [...new Array<number>(v.shape.length - t.shape.length).fill(1), ...t.shape];
      return { kind: 'host', tensor: transposeHost({ ...t, shape: full }, back) };
    });
    return this.deferTranspose(this.elementwise(op, operands, dtype), perm);
  }

  transpose(v: GraphValue, perm: readonly number[]): GraphValue {
    if (isIdentity(perm)) return v;
    const earlier = this.transposes.get(v.name);
    if (earlier) {
      const composed = perm.map((p) => earlier.perm[p]!);
      return isIdentity(composed) ? earlier.input : this.transpose(earlier.input, composed);
    }
    const shape = perm.map((p) => v.shape[p]!);
    // Moving only axes of size 1 moves no data: a reshape, still composable as a transpose.
    const order = perm.filter((p) => v.shape[p] !== 1);
    const out = order.every((p, i) => i === 0 || order[i - 1]! < p)
      ? this.node('Reshape', [v.name, this.int64(shape)], v.dtype, shape)
      : this.node('Transpose', [v.name], v.dtype, shape, { perm: [...perm] });
    this.transposes.set(out.name, { input: v, perm });
    return out;
  }

  /** A transpose that later elementwise ops with constants may run before (see `deferred`). */
  deferTranspose(v: GraphValue, perm: readonly number[]): GraphValue {
    const out = this.transpose(v, perm);
    if (out !== v && this.transposes.get(out.name)?.input === v) this.deferred.add(out.name);
    return out;
  }

  /** What `v` is a transpose of, and how, when the emitter wrote it as one. */
  transposedFrom(v: GraphValue): { input: GraphValue; perm: readonly number[] } | undefined {
    return this.transposes.get(v.name);
  }

  reshape(v: GraphValue, shape: readonly number[]): GraphValue {
    if (sameShape(shape, v.shape)) return v;
    return this.node('Reshape', [v.name, this.int64(shape)], v.dtype, shape);
  }
}
