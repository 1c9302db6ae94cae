// Synthetic graphs for the machine floor, written with the converter's own graph builder.
import { GraphBuilder } from '../../tools/models/src/onnx/graph-builder';

/** Y = X · W with X [m, k] fed at run time and W [k, n] a constant: 2·m·k·n FLOPs per run. */
export function matmulGraph(m: number, k: number, n: number): Uint8Array {
  const g = new GraphBuilder(`matmul_${m}x${k}x${n}`);
  const x = g.input('x', [m, k]);
  const w = new Float32Array(k * n);
  for (let i = 0; i < w.length; i++) w[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  g.output(g.node('MatMul', [x, g.constant(w, [k, n])]), 'y', [m, n]);
  return g.toBytes();
}

/**
 * ReduceSum(A + B) over `count` floats per input: the Add streams 2 reads and 1 write, the
 * reduction reads the sum back, and only a scalar leaves the session, so no copy to JS counts.
 */
export function streamGraph(count: number): Uint8Array {
  const g = new GraphBuilder(`stream_${count}`);
  const a = g.input('a', [count]);
  const b = g.input('b', [count]);
  const sum = g.node('Add', [a, b]);
  g.output(g.node('ReduceSum', [sum, g.int64([0])], { keepdims: 0 }), 'y', []);
  return g.toBytes();
}

/** Bytes moved by one run of `streamGraph(count)`. */
export const streamBytes = (count: number): number => count * 4 * 4;
