import { onnx } from '../onnx/graph-builder';

const { FLOAT, FLOAT16 } = onnx.TensorProto.DataType;

/**
 * Makes the graph's inputs and outputs float32: the engine feeds Float32Array on every runtime,
 * and onnxruntime-web has no Float16Array path on WASM. imgly's fp16 export already ends in
 * Casts; this only adds them when a graph does not.
 */
export function ensureFloat32Io(graph: onnx.IGraphProto): void {
  for (const input of graph.input!) {
    const tensor = input.type?.tensorType;
    if (tensor?.elemType !== FLOAT16) continue;
    const internal = `${input.name}_fp16`;
    for (const node of graph.node!)
      node.input = node.input!.map((n) => (n === input.name ? internal : n));
    graph.node!.unshift({
      opType: 'Cast',
      name: `${internal}_cast`,
      input: [input.name!],
      output: [internal],
      attribute: [castTo(FLOAT16)],
    });
    tensor.elemType = FLOAT;
  }
  for (const output of graph.output!) {
    const tensor = output.type?.tensorType;
    if (tensor?.elemType !== FLOAT16) continue;
    const internal = `${output.name}_fp16`;
    for (const node of graph.node!)
      node.output = node.output!.map((n) => (n === output.name ? internal : n));
    for (const node of graph.node!)
      node.input = node.input!.map((n) => (n === output.name ? internal : n));
    graph.node!.push({
      opType: 'Cast',
      name: `${internal}_cast`,
      input: [internal],
      output: [output.name!],
      attribute: [castTo(FLOAT)],
    });
    tensor.elemType = FLOAT;
  }
}

function castTo(to: number): onnx.IAttributeProto {
  return { name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: to };
}
