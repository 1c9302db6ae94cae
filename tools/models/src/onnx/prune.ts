import type { onnx } from './graph-builder';

/**
 * Keeps only what `keep` (one graph output) depends on: nodes, initializers, value infos and
 * opset imports that nothing reachable uses are dropped. ORT copies every declared output back
 * to the caller, so ISNet's 11 side outputs (deep-supervision masks and decoder features) would
 * move ~124 MB per image for a 4 MB mask.
 */
export function pruneToOutput(model: onnx.IModelProto, keep: string): void {
  const graph = model.graph!;
  const output = graph.output!.find((o) => o.name === keep);
  if (!output)
    throw new Error(
      `graph has no output ${keep}; outputs: ${graph.output!.map((o) => o.name).join(', ')}`,
    );

  const producer = new Map<string, onnx.INodeProto>();
  for (const node of graph.node!) for (const out of node.output!) producer.set(out, node);

  const liveNodes = new Set<onnx.INodeProto>();
  const liveValues = new Set<string>();
  const pending = [keep];
  while (pending.length) {
    const value = pending.pop()!;
    if (liveValues.has(value)) continue;
    liveValues.add(value);
    const node = producer.get(value);
    if (!node || liveNodes.has(node)) continue;
    liveNodes.add(node);
    for (const input of node.input!) if (input) pending.push(input);
  }

  graph.node = graph.node!.filter((n) => liveNodes.has(n));
  graph.output = [output];
  graph.initializer = graph.initializer!.filter((t) => liveValues.has(t.name!));
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => liveValues.has(v.name!));
  graph.input = graph.input!.filter((i) => liveValues.has(i.name!));

  const usedDomains = new Set(graph.node.map((n) => n.domain ?? ''));
  model.opsetImport = model.opsetImport!.filter((o) => usedDomains.has(o.domain ?? ''));
}

/** Renames a value everywhere it appears (node inputs/outputs, graph I/O, value infos). */
export function renameValue(graph: onnx.IGraphProto, from: string, to: string): void {
  if (from === to) return;
  const swap = (names: string[]) => names.map((n) => (n === from ? to : n));
  for (const node of graph.node!) {
    node.input = swap(node.input!);
    node.output = swap(node.output!);
  }
  for (const v of [...graph.input!, ...graph.output!, ...(graph.valueInfo ?? [])])
    if (v.name === from) v.name = to;
}
