import type { onnx } from './graph-builder';

/**
 * 2 x multiply-adds of every Conv per input pixel, for graphs with symbolic spatial dims.
 *
 * Instead of static shapes it follows each tensor's resolution relative to the graph input
 * (Resize multiplies it by its scale, DepthToSpace by its block size), so a conv that runs
 * after an x4 upsample counts 16 times per input pixel. Generated graphs list nodes in
 * topological order, which one pass relies on.
 *
 * @example
 *   convFlopsByScale(onnx.ModelProto.decode(bytes).graph!) // esrgan-slim x4: ~ 1.1e6
 */
export function convFlopsByScale(graph: onnx.IGraphProto): number {
  const initializers = new Map(graph.initializer!.map((t) => [t.name!, t]));
  const scale = new Map<string, number>(graph.input!.map((i) => [i.name!, 1]));
  let flops = 0;
  for (const node of graph.node!) {
    const inputs = node.input!.filter((name) => name !== '');
    const known = inputs.map((name) => scale.get(name)).filter((s): s is number => s !== undefined);
    let out = known.length ? Math.max(...known) : undefined;
    if (out === undefined) continue;
    switch (node.opType) {
      case 'Conv': {
        assertUnitStride(node);
        const dims = initializers.get(inputs[1]!)?.dims?.map(Number);
        if (!dims) throw new Error(`Conv ${node.name} has no constant weight`);
        flops += 2 * dims.reduce((a, b) => a * b, 1) * out * out;
        break;
      }
      case 'Resize':
        out *= resizeScale(node, initializers);
        break;
      case 'DepthToSpace':
        out *= intAttr(node, 'blocksize');
        break;
      case 'SpaceToDepth':
        out /= intAttr(node, 'blocksize');
        break;
    }
    for (const o of node.output!) scale.set(o, out);
  }
  return Math.round(flops);
}

function intAttr(node: onnx.INodeProto, name: string): number {
  const a = node.attribute!.find((x) => x.name === name);
  if (a?.i == null) throw new Error(`${node.opType} ${node.name} has no ${name}`);
  return Number(a.i);
}

function assertUnitStride(node: onnx.INodeProto): void {
  const strides = node.attribute!.find((a) => a.name === 'strides')?.ints?.map(Number);
  if (strides?.some((s) => s !== 1)) throw new Error(`Conv ${node.name}: strides are not counted`);
}

/** Resize's H scale, from its constant `scales` input (the generators never use `sizes`). */
function resizeScale(node: onnx.INodeProto, initializers: Map<string, onnx.ITensorProto>): number {
  const t = initializers.get(node.input![2] ?? '');
  const raw = t?.rawData;
  if (!raw) throw new Error(`Resize ${node.name} has no constant scales`);
  const scales = new Float32Array(
    raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
  );
  if (scales[2] !== scales[3]) throw new Error(`Resize ${node.name}: anisotropic scale`);
  return scales[2]!;
}
