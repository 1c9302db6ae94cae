import { onnx, type Dim } from '../onnx/graph-builder';

export interface PortInfo {
  readonly name: string;
  readonly dims: Dim[];
}

function port(v: onnx.IValueInfoProto): PortInfo {
  const dims = v.type?.tensorType?.shape?.dim ?? [];
  return {
    name: v.name!,
    dims: dims.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0))),
  };
}

/** Graph inputs (initializers that older IRs also list as inputs excluded) and outputs, as written. */
export function readGraphIo(bytes: Uint8Array): { inputs: PortInfo[]; outputs: PortInfo[] } {
  const graph = onnx.ModelProto.decode(bytes).graph!;
  const initializers = new Set(graph.initializer!.map((t) => t.name));
  return {
    inputs: graph.input!.filter((i) => !initializers.has(i.name)).map(port),
    outputs: graph.output!.map(port),
  };
}
