import type { onnx } from '../onnx/graph-builder';

/**
 * 2 x multiply-adds of every Conv/ConvInteger per model-input pixel, from the weight dims and
 * the output shapes the exporter recorded in value_info (ISNet's convolutions are >99% of its cost).
 */
/** Elementwise ops that follow a quantized conv (ConvInteger → Cast → Mul → Add) keep its shape. */
const SHAPE_PRESERVING = new Set(['Cast', 'Mul', 'Add']);

function shapeAfterElementwise(
  value: string,
  graph: onnx.IGraphProto,
  shapes: Map<string, number[]>,
): number[] | undefined {
  let current = value;
  for (let hop = 0; hop < 4; hop++) {
    const shape = shapes.get(current);
    if (shape) return shape;
    const next = graph.node!.find(
      (n) => SHAPE_PRESERVING.has(n.opType!) && n.input![0] === current,
    );
    if (!next) return undefined;
    current = next.output![0]!;
  }
  return undefined;
}

export function convFlopsPerInputPixel(graph: onnx.IGraphProto): number {
  const shapes = new Map<string, number[]>();
  for (const v of [...(graph.valueInfo ?? []), ...graph.output!, ...graph.input!]) {
    const dims = v.type?.tensorType?.shape?.dim;
    if (dims?.every((d) => d.dimValue != null))
      shapes.set(
        v.name!,
        dims.map((d) => Number(d.dimValue)),
      );
  }
  const weights = new Map(graph.initializer!.map((t) => [t.name!, t.dims!.map(Number)]));
  const input = shapes.get(graph.input![0]!.name!);
  if (!input) throw new Error('graph input has no static shape');
  const inputPixels = input[2]! * input[3]!;

  let flops = 0;
  for (const node of graph.node!) {
    if (node.opType !== 'Conv' && node.opType !== 'ConvInteger') continue;
    const w = weights.get(node.input![1]!);
    const out = shapeAfterElementwise(node.output![0]!, graph, shapes);
    if (!w || !out) throw new Error(`no static weight or output shape for ${node.name}`);
    const macsPerOutput = w.slice(1).reduce((a, b) => a * b, 1);
    flops += 2 * macsPerOutput * out.reduce((a, b) => a * b, 1);
  }
  return Math.round(flops / inputPixels);
}
