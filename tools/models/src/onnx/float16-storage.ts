import { float16Bits, float16Value } from './float16';
import { onnx } from './graph-builder';

const { FLOAT, FLOAT16, BOOL, INT64 } = onnx.TensorProto.DataType;

/** Ops whose output is not of their first input's type, for the op sets the converters emit. */
const OUTPUT_TYPE: Readonly<Record<string, number>> = {
  Equal: BOOL,
  Greater: BOOL,
  GreaterOrEqual: BOOL,
  Less: BOOL,
  LessOrEqual: BOOL,
  Not: BOOL,
  And: BOOL,
  Or: BOOL,
  Shape: INT64,
  Size: INT64,
  ArgMax: INT64,
  ArgMin: INT64,
  NonZero: INT64,
};

/**
 * Ops that only move, pick or negate values: fed binary16 values they write binary16 values, so
 * rounding after them would change nothing (MAXIM has ~5,000 of them).
 */
const EXACT_ON_FLOAT16 = new Set([
  'Identity',
  'Reshape',
  'Transpose',
  'Slice',
  'Concat',
  'Expand',
  'Gather',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
  'Neg',
  'Max',
  'Min',
  'Where',
]);

function outputType(node: onnx.INodeProto, typeOf: (name: string) => number | undefined) {
  const op = node.opType!;
  if (op === 'Cast') return Number(node.attribute!.find((a) => a.name === 'to')!.i);
  if (op in OUTPUT_TYPE) return OUTPUT_TYPE[op];
  if (op === 'Constant')
    return node.attribute!.find((a) => a.name === 'value')?.t?.dataType ?? undefined;
  // Where(condition, x, y) takes the type of its values.
  return typeOf(node.input![op === 'Where' ? 1 : 0]!);
}

export interface Float16StorageOptions {
  /**
   * Op types whose outputs, and the constants they read, stay float32, as a mixed-precision
   * build keeps them (e.g. a `ReduceSum` that a `Div` turns into a mean: the sum itself can
   * pass binary16's 65504, and so can the count it is divided by).
   */
  readonly keepFloat32?: readonly string[];
}

/**
 * What an fp16 variant of `model` would compute if only storage were binary16: every float
 * initializer rounded to binary16, and every float tensor a node writes rounded to binary16
 * (a Cast to FLOAT16 and back after it), the inputs too, while the arithmetic inside each op stays float32.
 * It runs on any CPU session, so the precision an fp16 build would lose can be measured on a
 * machine without `shader-f16`; a GPU that also accumulates in fp16 loses at least this much.
 * Mutates and returns `model`.
 */
export function withFloat16Storage(
  model: onnx.IModelProto,
  options: Float16StorageOptions = {},
): onnx.IModelProto {
  const keep = new Set(options.keepFloat32 ?? []);
  const graph = model.graph!;
  const types = new Map<string, number>();
  for (const v of graph.input ?? []) types.set(v.name!, v.type!.tensorType!.elemType!);
  // Constants a kept op reads stay float32 too (a mean's count of 256² = 65536 is past 65504).
  const readByKept = new Set(
    (graph.node ?? []).filter((n) => keep.has(n.opType!)).flatMap((n) => n.input ?? []),
  );
  for (const t of graph.initializer ?? []) {
    types.set(t.name!, t.dataType!);
    if (t.dataType !== FLOAT || readByKept.has(t.name!)) continue;
    const values = t.floatData?.length
      ? Float32Array.from(t.floatData)
      : new Float32Array(Uint8Array.from(t.rawData!).buffer); // a copy: decoded bytes are a view
    for (let i = 0; i < values.length; i++) values[i] = float16Value(float16Bits(values[i]!));
    t.floatData = [];
    t.rawData = new Uint8Array(values.buffer);
  }
  const nodes: onnx.INodeProto[] = [];
  let rounded = 0;
  // An fp16 build is fed binary16: the inputs are rounded before anything reads them (the
  // graph keeps its input names; its nodes read the rounded copies).
  const readAs = new Map<string, string>();
  for (const v of graph.input ?? []) {
    if (v.type!.tensorType!.elemType !== FLOAT) continue;
    const name = v.name!;
    readAs.set(name, `${name}__rounded`);
    types.set(`${name}__rounded`, FLOAT);
    nodes.push(
      cast(name, `${name}__f16`, FLOAT16),
      cast(`${name}__f16`, `${name}__rounded`, FLOAT),
    );
    rounded++;
  }
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((name) => readAs.get(name) ?? name);
    const type = outputType(node, (name) => types.get(name));
    nodes.push(node);
    for (const [k, name] of (node.output ?? []).entries()) {
      if (type === undefined)
        throw new Error(`${node.name ?? node.opType}: type of ${name} unknown`);
      types.set(name, type);
      if (type !== FLOAT || EXACT_ON_FLOAT16.has(node.opType!) || keep.has(node.opType!)) continue;
      const raw = `${name}__f32`;
      const half = `${name}__f16`;
      node.output![k] = raw;
      nodes.push(cast(raw, half, FLOAT16), cast(half, name, FLOAT));
      rounded++;
    }
  }
  graph.node = nodes;
  model.docString = `${model.docString ?? ''} (fp16 storage simulated: ${rounded} tensors rounded)`;
  return model;
}

function cast(from: string, to: string, type: number): onnx.INodeProto {
  return onnx.NodeProto.create({
    opType: 'Cast',
    input: [from],
    output: [to],
    name: `${to}__cast`,
    attribute: [
      onnx.AttributeProto.create({
        name: 'to',
        type: onnx.AttributeProto.AttributeType.INT,
        i: type,
      }),
    ],
  });
}
