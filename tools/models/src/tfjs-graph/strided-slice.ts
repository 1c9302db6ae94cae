/** One axis of a resolved StridedSlice: elements start, start + step, … before end. */
export interface SliceAxis {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly length: number;
}

export interface ResolvedSlice {
  /** One entry per input axis (axes past the given spec are taken whole). */
  readonly axes: readonly SliceAxis[];
  /** Input axes that shrink_axis_mask removes from the output. */
  readonly shrunk: ReadonlySet<number>;
  readonly outputShape: readonly number[];
}

export interface SliceMasks {
  readonly begin: number;
  readonly end: number;
  readonly shrink: number;
  readonly ellipsis: number;
  readonly newAxis: number;
}

/**
 * TensorFlow's StridedSlice bounds for a static input shape: negative indices count from the
 * end, masked bounds take the whole axis, and out-of-range bounds clamp (to [0, d] going
 * forward, [-1, d - 1] going backward). Ellipsis and new-axis masks are refused: the MAXIM
 * graphs never set them.
 *
 * @example resolveStridedSlice([5], [-2], [0], [1], { begin: 0, end: 1, shrink: 0, ellipsis: 0, newAxis: 0 })
 *   // axes [{ start: 3, end: 5, step: 1, length: 2 }]
 */
export function resolveStridedSlice(
  shape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  masks: SliceMasks,
): ResolvedSlice {
  if (masks.ellipsis || masks.newAxis)
    throw new Error('StridedSlice: ellipsis and new-axis masks are not supported');
  if (begin.length > shape.length) throw new Error('StridedSlice: more bounds than axes');
  const axes: SliceAxis[] = [];
  const shrunk = new Set<number>();
  const outputShape: number[] = [];
  shape.forEach((d, i) => {
    const bit = 1 << i;
    const given = i < begin.length;
    const step = given ? strides[i]! : 1;
    if (step === 0) throw new Error('StridedSlice: zero stride');
    if (given && masks.shrink & bit) {
      const start = begin[i]! < 0 ? begin[i]! + d : begin[i]!;
      if (start < 0 || start >= d) throw new Error(`StridedSlice: index ${begin[i]} out of ${d}`);
      axes.push({ start, end: start + 1, step: 1, length: 1 });
      shrunk.add(i);
      return;
    }
    const [lo, hi] = step > 0 ? [0, d] : [-1, d - 1];
    const bound = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const start = !given || masks.begin & bit ? (step > 0 ? lo : hi) : bound(begin[i]!);
    const stop = !given || masks.end & bit ? (step > 0 ? hi : lo) : bound(end[i]!);
    const length = Math.max(0, Math.ceil((stop - start) / step));
    axes.push({ start, end: stop, step, length });
    outputShape.push(length);
  });
  return { axes, shrunk, outputShape };
}
