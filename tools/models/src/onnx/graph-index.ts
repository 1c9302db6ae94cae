import type { onnx } from './graph-builder';

/** Who writes and who reads each value of a graph: what a rewrite matches its chains against. */
export interface GraphIndex {
  readonly producer: ReadonlyMap<string, onnx.INodeProto>;
  readonly consumers: ReadonlyMap<string, readonly onnx.INodeProto[]>;
  /** The initializers by name; a rewrite that adds one sets it here too. */
  readonly constants: Map<string, onnx.ITensorProto>;
  /** The one node reading `value`, or undefined when none or several do. */
  only(value: string): onnx.INodeProto | undefined;
}

/**
 * Indexes a graph as it is now. A rewrite that rewires nodes leaves the index describing the
 * graph before it, which is what its matching wants: each match is of chains whose values have
 * one reader, so one rewrite cannot change what another one matched.
 */
export function indexGraph(graph: onnx.IGraphProto): GraphIndex {
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const node of graph.node!) {
    for (const out of node.output!) producer.set(out, node);
    for (const input of node.input!) {
      if (!consumers.has(input)) consumers.set(input, []);
      consumers.get(input)!.push(node);
    }
  }
  const constants = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const only = (value: string) => {
    const readers = consumers.get(value) ?? [];
    return readers.length === 1 ? readers[0] : undefined;
  };
  return { producer, consumers, constants, only };
}
