import { open } from 'node:fs/promises';
import type { GraphPort } from '@loupe/shared';
import {
  ProtoError,
  ProtoFile,
  WIRE,
  fieldsOf,
  packedVarints,
  text,
  type Field,
} from './proto-reader';

/** A node's wiring: enough to follow a graph input to the weights that first touch it. */
export interface NodeWiring {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface InitializerInfo {
  readonly dims: readonly number[];
  readonly dataType: number;
  /** The external-data file holding its bytes, relative to the model file; null when inline. */
  readonly location: string | null;
}

/** What a model file declares, read without its weights. */
export interface GraphSignature {
  readonly irVersion: number;
  readonly opsets: ReadonlyMap<string, number>;
  readonly inputs: readonly GraphPort[];
  readonly outputs: readonly GraphPort[];
  readonly nodes: readonly NodeWiring[];
  readonly initializers: ReadonlyMap<string, InitializerInfo>;
  /** Distinct external-data files the initializers reference. */
  readonly externalData: readonly string[];
}

/** ONNX TensorProto.DataType → the name onnxruntime uses for it. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};
export const elementTypeName = (t: number) => ELEMENT_TYPES[t] ?? `type-${t}`;

// Field numbers from onnx.proto.
const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, opType: 4 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, externalData: 13 } as const;

/**
 * Reads an ONNX file's graph inputs, outputs, node wiring and initializer shapes by position,
 * skipping every weight: a multi-GB UNet costs a few hundred KB of reads, never a session.
 * Throws `ProtoError` (or the file system's error) when the file is not a readable ONNX model.
 *
 * @example const { inputs } = await readGraphSignature('unet/model.onnx');
 */
export async function readGraphSignature(path: string): Promise<GraphSignature> {
  const handle = await open(path, 'r');
  try {
    const file = new ProtoFile(handle, (await handle.stat()).size);
    let irVersion = 0;
    const opsets = new Map<string, number>();
    let graph: Field | undefined;
    for await (const f of file.fields(0, file.size)) {
      if (f.field === MODEL.irVersion && f.wire === WIRE.varint) irVersion = f.value;
      else if (f.field === MODEL.opsetImport && f.wire === WIRE.bytes) {
        const bytes = await file.bytes(f.start, f.end);
        let domain = '';
        let version = 0;
        for (const o of fieldsOf(bytes)) {
          if (o.field === 1 && o.wire === WIRE.bytes) domain = text(bytes, o);
          if (o.field === 2 && o.wire === WIRE.varint) version = o.value;
        }
        opsets.set(domain, version);
      } else if (f.field === MODEL.graph && f.wire === WIRE.bytes) graph = f;
    }
    if (!graph || irVersion === 0) throw new ProtoError('no ONNX model header (ir_version, graph)');
    return { irVersion, opsets, ...(await readGraph(file, graph)) };
  } finally {
    await handle.close();
  }
}

async function readGraph(file: ProtoFile, graph: Field) {
  const inputs: GraphPort[] = [];
  const outputs: GraphPort[] = [];
  const nodes: NodeWiring[] = [];
  const initializers = new Map<string, InitializerInfo>();
  for await (const f of file.fields(graph.start, graph.end)) {
    if (f.wire !== WIRE.bytes) continue;
    if (f.field === GRAPH.node) nodes.push(await readNode(file, f));
    else if (f.field === GRAPH.initializer) {
      const [name, info] = await readInitializer(file, f);
      initializers.set(name, info);
    } else if (f.field === GRAPH.input) inputs.push(valueInfo(await file.bytes(f.start, f.end)));
    else if (f.field === GRAPH.output) outputs.push(valueInfo(await file.bytes(f.start, f.end)));
  }
  const externalData = [
    ...new Set([...initializers.values()].flatMap((i) => (i.location ? [i.location] : []))),
  ];
  return {
    // IR < 4 lists initializers among the inputs too; they are not the caller's to feed.
    inputs: inputs.filter((i) => !initializers.has(i.name)),
    outputs,
    nodes,
    initializers,
    externalData,
  };
}

/** A node's inputs, outputs and op type; its attributes (which may hold tensors) are skipped. */
async function readNode(file: ProtoFile, node: Field): Promise<NodeWiring> {
  let op = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  for await (const f of file.fields(node.start, node.end)) {
    if (f.wire !== WIRE.bytes) continue;
    if (f.field !== NODE.input && f.field !== NODE.output && f.field !== NODE.opType) continue;
    const value = new TextDecoder().decode(await file.bytes(f.start, f.end));
    if (f.field === NODE.input) inputs.push(value);
    else if (f.field === NODE.output) outputs.push(value);
    else op = value;
  }
  return { op, inputs, outputs };
}

/** A tensor's name, dims, type and external location; its data is skipped. */
async function readInitializer(file: ProtoFile, tensor: Field): Promise<[string, InitializerInfo]> {
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let location: string | null = null;
  for await (const f of file.fields(tensor.start, tensor.end)) {
    if (f.field === TENSOR.dims) {
      if (f.wire === WIRE.varint) dims.push(f.value);
      else if (f.wire === WIRE.bytes) dims.push(...packedVarints(await file.bytes(f.start, f.end)));
    } else if (f.field === TENSOR.dataType && f.wire === WIRE.varint) dataType = f.value;
    else if (f.field === TENSOR.name && f.wire === WIRE.bytes)
      name = new TextDecoder().decode(await file.bytes(f.start, f.end));
    else if (f.field === TENSOR.externalData && f.wire === WIRE.bytes) {
      const entry = await file.bytes(f.start, f.end);
      let key = '';
      let value = '';
      for (const e of fieldsOf(entry)) {
        if (e.field === 1 && e.wire === WIRE.bytes) key = text(entry, e);
        if (e.field === 2 && e.wire === WIRE.bytes) value = text(entry, e);
      }
      if (key === 'location') location = value;
    }
  }
  return [name, { dims, dataType, location }];
}

/** ValueInfoProto → name, element type, dims (a named dim is its name; an unknown one '?'). */
function valueInfo(bytes: Uint8Array): GraphPort {
  let name = '';
  let dtype = 'unknown';
  let dims: (number | string)[] = [];
  for (const f of fieldsOf(bytes)) {
    if (f.field === 1 && f.wire === WIRE.bytes) name = text(bytes, f);
    if (f.field !== 2 || f.wire !== WIRE.bytes) continue;
    const type = bytes.subarray(f.start, f.end);
    for (const t of fieldsOf(type)) {
      if (t.field !== 1 || t.wire !== WIRE.bytes) continue; // tensor_type only
      const tensor = type.subarray(t.start, t.end);
      for (const p of fieldsOf(tensor)) {
        if (p.field === 1 && p.wire === WIRE.varint) dtype = elementTypeName(p.value);
        if (p.field === 2 && p.wire === WIRE.bytes) dims = shape(tensor.subarray(p.start, p.end));
      }
    }
  }
  return { name, dtype, dims };
}

function shape(bytes: Uint8Array): (number | string)[] {
  const dims: (number | string)[] = [];
  for (const d of fieldsOf(bytes)) {
    if (d.field !== 1 || d.wire !== WIRE.bytes) continue;
    const dim = bytes.subarray(d.start, d.end);
    let value: number | string = '?';
    for (const v of fieldsOf(dim)) {
      if (v.field === 1 && v.wire === WIRE.varint) value = v.value;
      if (v.field === 2 && v.wire === WIRE.bytes) value = text(dim, v);
    }
    dims.push(value);
  }
  return dims;
}
