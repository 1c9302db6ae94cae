import type { onnx } from './graph-builder';
import { indexGraph } from './graph-index';
import { float32Initializer, float32Tensor, int64Initializer } from './initializers';

type Node = onnx.INodeProto;

/**
 * Splits a dense layer whose output is only ever read in channel slices into one dense layer per
 * slice. MAXIM's gMLP blocks widen the activation with a Dense and a GELU, then cut it in two
 * along the channels (`u, v = split(gelu(x · W + b))`); onnxruntime runs the two Slices as one
 * Split, which reads and writes the widest activation of the block once more. Computing each
 * half from its own columns of W (`gelu(x · W[:, lo:hi] + b[lo:hi])`) does the same arithmetic,
 * reads the narrower input twice instead, and writes each half where it is read. Matched only
 * for MatMul(x, W) → FastGelu(·, b) whose every reader is a Slice of the last axis, step 1, the
 * slices together covering each column once; each column is the same sum as before (equal up to
 * the order onnxruntime adds its terms in).
 * Dead nodes are left for pruneToOutput. Returns how many dense layers were split.
 */
export function splitDenseColumns(
  model: onnx.IModelProto,
  /** Every value's shape (graph-flops' inferShapes): which axis is the last one. */
  shapes: ReadonlyMap<string, readonly number[]>,
): number {
  const graph = model.graph!;
  const { producer, consumers, constants } = indexGraph(graph);
  const added: onnx.ITensorProto[] = [];
  const replaced = new Map<Node, Node[]>();

  for (const gelu of graph.node!) {
    if (gelu.opType !== 'FastGelu' || gelu.input!.length !== 2) continue;
    const dense = producer.get(gelu.input![0]!);
    if (dense?.opType !== 'MatMul' || (consumers.get(dense.output![0]!) ?? []).length !== 1)
      continue;
    const w = float32Initializer(constants.get(dense.input![1]!));
    const b = float32Initializer(constants.get(gelu.input![1]!));
    if (!w || w.dims.length !== 2 || !b || b.dims.length !== 1) continue;
    const [rows, cols] = w.dims as [number, number];
    if (b.dims[0] !== cols) continue;
    const readers = consumers.get(gelu.output![0]!) ?? [];
    const rank = shapes.get(gelu.output![0]!)?.length;
    const cuts = readers.map((s) =>
      s.opType === 'Slice' && rank ? lastAxisRange(s, rank, cols, constants) : undefined,
    );
    if (readers.length < 2 || cuts.some((c) => !c) || !partitions(cuts as Range[], cols)) continue;

    const parts = readers.flatMap((slice, i) => {
      const { lo, hi } = cuts[i]!;
      const width = hi - lo;
      const name = `${dense.name}/cols-${lo}-${hi}`;
      const wPart = new Float32Array(rows * width);
      for (let k = 0; k < rows; k++)
        wPart.set(w.values.subarray(k * cols + lo, k * cols + hi), k * width);
      added.push(float32Tensor(`${name}/W`, [rows, width], wPart));
      added.push(float32Tensor(`${name}/b`, [width], b.values.slice(lo, hi)));
      const partDense: Node = {
        name,
        opType: 'MatMul',
        input: [dense.input![0]!, `${name}/W`],
        output: [`${name}/out`],
      };
      const partGelu: Node = {
        name: `${name}/FastGelu`,
        opType: 'FastGelu',
        domain: gelu.domain ?? null,
        input: [`${name}/out`, `${name}/b`],
        output: [slice.output![0]!],
      };
      replaced.set(slice, []);
      return [partDense, partGelu];
    });
    replaced.set(gelu, parts);
  }
  if (replaced.size === 0) return 0;
  graph.initializer!.push(...added);
  // Each part takes the place of the GELU, so everything it reads is still defined before it.
  graph.node = graph.node!.flatMap((n) => replaced.get(n) ?? [n]);
  return [...replaced.values()].filter((parts) => parts.length > 0).length;
}

interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** The columns a Slice of the last axis (of `cols`) keeps, or undefined for any other Slice. */
function lastAxisRange(
  slice: Node,
  rank: number,
  cols: number,
  constants: ReadonlyMap<string, onnx.ITensorProto>,
): Range | undefined {
  const [, starts, ends, axes, steps] = slice.input!.map((v) =>
    int64Initializer(constants.get(v!)),
  );
  if (!starts || !ends || !axes || starts.length !== 1 || ends.length !== 1) return undefined;
  if (axes.length !== 1 || (axes[0] !== -1 && axes[0] !== rank - 1)) return undefined;
  if (slice.input!.length > 4 && (!steps || steps[0] !== 1)) return undefined;
  // ONNX clamps: negative counts from the end, past the end is the end.
  const at = (v: number) => Math.min(cols, Math.max(0, v < 0 ? v + cols : v));
  const lo = at(starts[0]!);
  const hi = at(ends[0]!);
  return hi > lo ? { lo, hi } : undefined;
}

/** Whether the ranges cover 0..cols, each column once. */
function partitions(ranges: readonly Range[], cols: number): boolean {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  let next = 0;
  for (const r of sorted) {
    if (r.lo !== next) return false;
    next = r.hi;
  }
  return next === cols;
}
