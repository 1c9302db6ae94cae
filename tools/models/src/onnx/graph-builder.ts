import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import { toFloat16Bits } from './float16';

/** onnx-proto's message classes (a CommonJS module: only its default export exists at run time). */
export const onnx = onnxProto.onnx;

/** The message interfaces under the same name, so `onnx.IGraphProto` works as in onnx-proto. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace onnx {
  export type IModelProto = proto.IModelProto;
  export type IGraphProto = proto.IGraphProto;
  export type INodeProto = proto.INodeProto;
  export type ITensorProto = proto.ITensorProto;
  export type IValueInfoProto = proto.IValueInfoProto;
  export type IAttributeProto = proto.IAttributeProto;
  export type ModelProto = proto.ModelProto;
  export type TensorProto = proto.TensorProto;
  export type AttributeProto = proto.AttributeProto;
}

export type Dim = number | string;
type AttrValue = number | string | readonly number[] | Float32Array;

/**
 * Where large initializers go instead of the model file: ONNX external data, for graphs whose
 * weights would pass protobuf's 2 GB limit (and to test readers of such graphs on tiny ones).
 */
export interface ExternalDataSink {
  /** The file name written into each tensor's `location`, relative to the model file. */
  readonly location: string;
  /** Tensors with fewer bytes than this stay inside the model file (onnx's default is 1 KiB). */
  readonly threshold: number;
  /** Appends one tensor's bytes and returns the offset they start at. */
  append(bytes: Uint8Array): number;
}

export interface GraphBuilderOptions {
  externalData?: ExternalDataSink;
}

/** Opset every generated graph targets: supported by onnxruntime-web's WebGPU EP and ORT 1.29. */
export const OPSET = 17;

/**
 * A small typed layer over onnx-proto for writing graphs by hand: inputs, initializers,
 * nodes and outputs, then `toBytes()`. Names are generated per op so callers only wire
 * values; integer-valued attributes (kernel_shape, pads, axes…) are written as ints.
 *
 * @example
 *   const g = new GraphBuilder('invert');
 *   const x = g.input('image', [1, 4, 'h', 'w']);
 *   g.output(g.node('Neg', [x]), 'output', [1, 4, 'h', 'w']);
 */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly externalData: ExternalDataSink | undefined;

  constructor(
    readonly name: string,
    options: GraphBuilderOptions = {},
  ) {
    this.externalData = options.externalData;
  }

  input(name: string, dims: readonly Dim[], elemType = onnx.TensorProto.DataType.FLOAT): string {
    this.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  output(
    value: string,
    name: string,
    dims: readonly Dim[],
    elemType = onnx.TensorProto.DataType.FLOAT,
  ): void {
    const outName = value === name ? value : this.node('Identity', [value], {}, name);
    this.outputs.push(valueInfo(outName, dims, elemType));
  }

  /** A float32 constant; `dims` defaults to a 1-D tensor. */
  constant(
    values: Float32Array | readonly number[],
    dims?: readonly number[],
    name?: string,
  ): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(
      name ?? this.fresh('const'),
      onnx.TensorProto.DataType.FLOAT,
      dims ?? [data.length],
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }

  /** A float16 constant from float32 values (rounded to nearest even); `dims` defaults to 1-D. */
  float16(
    values: Float32Array | readonly number[],
    dims?: readonly number[],
    name?: string,
  ): string {
    const half = toFloat16Bits(values instanceof Float32Array ? values : Float32Array.from(values));
    return this.initializer(
      name ?? this.fresh('f16'),
      onnx.TensorProto.DataType.FLOAT16,
      dims ?? [half.length],
      new Uint8Array(half.buffer, half.byteOffset, half.byteLength),
    );
  }

  /** An int64 constant (shapes, pads, axes). */
  int64(values: readonly number[], dims?: readonly number[], name?: string): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.initializer(
      name ?? this.fresh('i64'),
      onnx.TensorProto.DataType.INT64,
      dims ?? [values.length],
      new Uint8Array(data.buffer),
    );
  }

  /** An int32 constant. */
  int32(values: readonly number[], dims?: readonly number[], name?: string): string {
    const data = Int32Array.from(values);
    return this.initializer(
      name ?? this.fresh('i32'),
      onnx.TensorProto.DataType.INT32,
      dims ?? [values.length],
      new Uint8Array(data.buffer),
    );
  }

  /**
   * A 2-D convolution with constant weights (OIHW) and bias; `pads` is the same on every side.
   * The weight's dims come from `weightDims`, so callers never repeat the channel counts.
   */
  conv(
    x: string,
    weight: Float32Array,
    weightDims: readonly [number, number, number, number],
    bias?: Float32Array,
    pads = 0,
  ): string {
    const [, , kh, kw] = weightDims;
    const inputs = [x, this.constant(weight, weightDims)];
    if (bias) inputs.push(this.constant(bias, [weightDims[0]]));
    return this.node('Conv', inputs, { kernel_shape: [kh, kw], pads: [pads, pads, pads, pads] });
  }

  /** Adds one node; returns the name of its (first) output. */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    output?: string,
  ): string {
    return this.nodeN(opType, inputs, 1, attrs, output ? [output] : undefined)[0]!;
  }

  nodeN(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attrs: Record<string, AttrValue> = {},
    outputs?: readonly string[],
  ): string[] {
    const outs = outputs
      ? [...outputs]
      : Array.from({ length: outputCount }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return outs;
  }

  toModel(docString = ''): onnx.IModelProto {
    return {
      irVersion: 8,
      producerName: 'loupe-model-tools',
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    };
  }

  toBytes(docString = ''): Uint8Array {
    return onnx.ModelProto.encode(this.toModel(docString)).finish();
  }

  /**
   * One initializer, inline or (at or above the sink's threshold) appended to the external
   * data file with its location, offset and length, as onnx's external-data format has it.
   */
  private initializer(id: string, dataType: number, dims: readonly number[], bytes: Uint8Array) {
    const sink = this.externalData;
    if (sink && bytes.byteLength >= sink.threshold) {
      const offset = sink.append(bytes);
      this.initializers.push({
        name: id,
        dataType,
        dims: [...dims],
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: sink.location },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      });
    } else {
      // A copy: callers may reuse their buffer, and protobuf encodes it at toBytes().
      this.initializers.push({ name: id, dataType, dims: [...dims], rawData: bytes.slice() });
    }
    return id;
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }
}

function valueInfo(name: string, dims: readonly Dim[], elemType: number): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

const INT_ATTRS = new Set([
  'kernel_shape',
  'pads',
  'output_padding',
  'strides',
  'dilations',
  'group',
  'axes',
  'axis',
  'keepdims',
  'blocksize',
  'perm',
  'to',
  'exclude_outside',
  'transA',
  'transB',
  'ceil_mode',
  'count_include_pad',
  'select_last_index',
  'noop_with_empty_axes',
  'num_outputs',
  'antialias',
  'dtype',
  'stash_type',
  'largest',
  'sorted',
  'upper',
]);

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    // The attribute's ONNX type comes from its name, never from the value: a float
    // attribute that happens to be whole (alpha = 1) must still be written as FLOAT.
    return INT_ATTRS.has(name) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  }
  const list = Array.from(v);
  return INT_ATTRS.has(name)
    ? { name, type: A.INTS, ints: list }
    : { name, type: A.FLOATS, floats: list };
}
