import {
  addRun,
  estimateWork,
  measurableRun,
  toRate,
  type ModelCost,
  type Rate,
  type RateSums,
  type Size,
  type Step,
} from '@loupe/shared';

/**
 * How fast this server's runs have been, as FLOP/s by rate key (a model id, or `op:<id>`),
 * for clients that weigh it against their own device (`GET /api/gpu/status`). Only runs whose
 * models were already on the device count, so a measurement is speed, not a model load; what
 * else is left out is `measurableRun`'s rule, the same as the browser's.
 */
export class ServerThroughput {
  private readonly sums = new Map<string, RateSums>();

  /** `models`: the manifest's entries (FLOPs per pixel), read when a run is recorded. */
  constructor(private readonly models: () => readonly ModelCost[]) {}

  /** One finished run: its steps on an input of `input` size took `inferMs` in the child. */
  record(steps: readonly Step[], input: Size, inferMs: number): void {
    const seconds = inferMs / 1000;
    const run = measurableRun(estimateWork(steps, input, this.models()), seconds);
    if (run) this.sums.set(run.key, addRun(this.sums.get(run.key), run.flops, seconds));
  }

  /** @example report() // { 'esrgan-slim-x2': { perSecond: 8.1e10, samples: 4 } } */
  report(): Record<string, Rate> {
    return Object.fromEntries([...this.sums].map(([key, sums]) => [key, toRate(sums)]));
  }
}
