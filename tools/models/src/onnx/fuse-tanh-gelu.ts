import { onnx } from './graph-builder';
import { indexGraph } from './graph-index';

const MS_DOMAIN = 'com.microsoft';
/** √(2/π) and the cubic coefficient of GELU's tanh approximation. */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const CUBIC = 0.044715;

const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-6 * b;

/**
 * Rewrites GELU's tanh approximation, spelled out op by op as jax2tf writes it (MAXIM's MLPs:
 * `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, seven Mul, two Add and a Tanh, each a pass over
 * the MLP's widest activation), as one com.microsoft FastGelu: the same formula in one pass, with
 * the dense layer's bias folded in when only the GELU reads the biased value. onnxruntime's CPU
 * EP (and so onnxruntime-web's WASM) and its WebGPU and CUDA EPs all implement FastGelu;
 * onnxruntime's own FastGeluFusion does not match jax2tf's factor order. Dead nodes are left for
 * pruneToOutput. Returns how many GELUs were fused.
 */
export function fuseTanhGelu(model: onnx.IModelProto): number {
  const graph = model.graph!;
  const { producer, consumers, only } = indexGraph(graph);
  const scalars = scalarInitializers(graph);

  /** A product's factors: its scalar constant and the values it multiplies, through Muls that nothing else reads. */
  const factors = (
    value: string,
    root = true,
  ): { k: number; values: string[]; nodes: onnx.INodeProto[] } => {
    const node = producer.get(value);
    const scalar = scalars.get(value);
    if (scalar !== undefined) return { k: scalar, values: [], nodes: [] };
    if (node?.opType !== 'Mul' || (!root && !only(value)))
      return { k: 1, values: [value], nodes: [] };
    const [a, b] = node.input!.map((v) => factors(v!, false));
    return {
      k: a!.k * b!.k,
      values: [...a!.values, ...b!.values],
      nodes: [node, ...a!.nodes, ...b!.nodes],
    };
  };

  const replaced = new Map<onnx.INodeProto, onnx.INodeProto>();
  for (const tanh of graph.node!) {
    if (tanh.opType !== 'Tanh') continue;
    // √(2/π)·(x + 0.044715·x³)
    const inner = factors(tanh.input![0]!);
    if (!near(inner.k, SQRT_2_OVER_PI) || inner.values.length !== 1) continue;
    const sum = producer.get(inner.values[0]!);
    if (sum?.opType !== 'Add' || !only(sum.output![0]!)) continue;
    const x = sum.input!.find((v) => {
      const cube = factors(sum.input!.find((w) => w !== v) ?? v);
      return near(cube.k, CUBIC) && cube.values.length === 3 && cube.values.every((c) => c === v);
    });
    if (!x) continue;
    // (1 + tanh) · 0.5 · x
    const onePlus = only(tanh.output![0]!);
    if (onePlus?.opType !== 'Add' || !onePlus.input!.some((v) => scalars.get(v!) === 1)) continue;
    const outer = only(onePlus.output![0]!);
    if (outer?.opType !== 'Mul') continue;
    const product = factors(outer.output![0]!);
    const rest = product.values.filter((v) => v !== onePlus.output![0]);
    if (!near(product.k, 0.5) || rest.length !== 1 || rest[0] !== x) continue;
    // Only the whole product may be read from outside: its last Mul is the one replaced.
    const last = product.nodes[0]!;
    const gelu = new Set([tanh, sum, onePlus, ...inner.nodes, ...product.nodes]);
    for (const n of factors(sum.input!.find((w) => w !== x)!).nodes) gelu.add(n);
    replaced.set(last, {
      name: `${last.name}/FastGelu`,
      opType: 'FastGelu',
      domain: MS_DOMAIN,
      input: withBias(graph, x, producer.get(x), (n) => gelu.has(n), consumers),
      output: [last.output![0]!],
    });
  }
  if (replaced.size === 0) return 0;
  graph.node = graph.node!.map((n) => replaced.get(n) ?? n);
  if (!model.opsetImport!.some((o) => o.domain === MS_DOMAIN))
    model.opsetImport!.push({ domain: MS_DOMAIN, version: 1 });
  return replaced.size;
}

/** Float32 initializers of one value (shape [] or all ones), by name. */
function scalarInitializers(graph: onnx.IGraphProto): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of graph.initializer ?? []) {
    if (t.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    if (!(t.dims ?? []).every((d) => Number(d) === 1)) continue;
    const raw = t.rawData;
    if (raw?.byteLength === 4)
      out.set(t.name!, new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true));
    else if (t.floatData?.length === 1) out.set(t.name!, t.floatData[0]!);
  }
  return out;
}

/**
 * FastGelu's inputs for `x`: (pre-bias value, bias) when `x` is an Add of a bias over the last
 * axis that only the GELU reads, else just `x`. The bias is written again as the 1-D tensor
 * FastGelu takes (TF's are [1, 1, 1, C]).
 */
function withBias(
  graph: onnx.IGraphProto,
  x: string,
  add: onnx.INodeProto | undefined,
  inGelu: (n: onnx.INodeProto) => boolean,
  consumers: ReadonlyMap<string, readonly onnx.INodeProto[]>,
): string[] {
  if (add?.opType !== 'Add' || !(consumers.get(x) ?? []).every(inGelu)) return [x];
  const initializers = graph.initializer ?? [];
  for (const [i, name] of add.input!.entries()) {
    const t = initializers.find((v) => v.name === name);
    const dims = (t?.dims ?? []).map(Number);
    if (t?.dataType !== onnx.TensorProto.DataType.FLOAT || !t.rawData || dims.length === 0)
      continue;
    if (!dims.slice(0, -1).every((d) => d === 1)) continue;
    const bias = `${name}/1d`;
    if (!initializers.some((v) => v.name === bias))
      initializers.push({ ...t, name: bias, dims: [dims.at(-1)!] });
    return [add.input![1 - i]!, bias];
  }
  return [x];
}
