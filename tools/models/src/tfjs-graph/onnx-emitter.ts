import type { GraphBuilder } from '../onnx/graph-builder';
import { broadcastShapes, type HostDtype, type HostTensor } from './host-tensor';
import { shapeOf, type GraphValue, type Value } from './values';

const isIdentity = (perm: readonly number[]) => perm.every((p, i) => p === i);
const sameShape = (a: readonly number[], b: readonly number[]) => a.join(',') === b.join(',');

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
    const shapes = inputs.map(shapeOf);
    const shape = broadcastShapes(shapes);
    const names = inputs.map((v, i) => {
      const rest = broadcastShapes(shapes.filter((_, j) => j !== i));
      return sameShape(rest, shape) ? this.narrowOperand(v) : this.use(v);
    });
    const first = inputs.find((v) => v.kind === 'graph')!;
    return this.node(op, names, dtype ?? first.dtype, shape);
  }

  transpose(v: GraphValue, perm: readonly number[]): GraphValue {
    if (isIdentity(perm)) return v;
    const earlier = this.transposes.get(v.name);
    if (earlier) {
      const composed = perm.map((p) => earlier.perm[p]!);
      return isIdentity(composed) ? earlier.input : this.transpose(earlier.input, composed);
    }
    const shape = perm.map((p) => v.shape[p]!);
    const out = this.node('Transpose', [v.name], v.dtype, shape, { perm: [...perm] });
    this.transposes.set(out.name, { input: v, perm });
    return out;
  }

  reshape(v: GraphValue, shape: readonly number[]): GraphValue {
    if (sameShape(shape, v.shape)) return v;
    return this.node('Reshape', [v.name, this.int64(shape)], v.dtype, shape);
  }
}
