/** Summary of repeated timings: the median is the number we report, the rest shows the noise. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (p75 - p25) / median: the spread we print next to every median. */
  readonly iqrRel: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const median = quantile(s, 0.5);
  return {
    n: s.length,
    median,
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    iqrRel: (quantile(s, 0.75) - quantile(s, 0.25)) / median,
  };
}

/**
 * Times several contenders round-robin (A, B, A, B…) after `warmup` untimed rounds, so a
 * burst of load from the other tenants of this 2-core machine hits both sides alike.
 * Returns milliseconds per contender, in round order (index i of each list is round i).
 */
export async function interleave<K extends string>(
  contenders: Record<K, () => Promise<unknown>>,
  { warmup, reps }: { warmup: number; reps: number },
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const times = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + reps; round++) {
    // Alternate the order too, so neither side always runs right after the other's garbage.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const t0 = performance.now();
      await contenders[name]();
      const ms = performance.now() - t0;
      if (round >= warmup) times[name].push(ms);
    }
  }
  return times;
}

/** Per-round ratios peer/ours: pairing rounds cancels slow drifts in machine load. */
export function pairedRatios(peer: readonly number[], ours: readonly number[]): Summary {
  return summarize(peer.map((p, i) => p / ours[i]!));
}

export function percentile(samples: readonly number[], q: number): number {
  return quantile(
    [...samples].sort((a, b) => a - b),
    q,
  );
}
