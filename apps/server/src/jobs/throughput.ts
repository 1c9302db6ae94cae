import {
  MIN_SAMPLE_SECONDS,
  addRun,
  estimateWork,
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
 * models were already on the device count, so a measurement is speed, not a model load; runs
 * of several keys are left out, since their time cannot be split between them.
 */
export class ServerThroughput {
  private readonly sums = new Map<string, RateSums>();

  /** `models`: the manifest's entries (FLOPs per pixel), read when a run is recorded. */
  constructor(private readonly models: () => readonly ModelCost[]) {}

  /** One finished run: its steps on an input of `input` size took `inferMs` in the child. */
  record(steps: readonly Step[], input: Size, inferMs: number): void {
    const seconds = inferMs / 1000;
    if (seconds < MIN_SAMPLE_SECONDS) return;
    const work = estimateWork(steps, input, this.models());
    const keys = new Set(work.steps.map((s) => s.key));
    if (keys.size !== 1 || work.unknownModels.length || work.flops <= 0) return;
    const key = [...keys][0]!;
    this.sums.set(key, addRun(this.sums.get(key), work.flops, seconds));
  }

  /** @example report() // { 'esrgan-slim-x2': { perSecond: 8.1e10, samples: 4 } } */
  report(): Record<string, Rate> {
    return Object.fromEntries([...this.sums].map(([key, sums]) => [key, toRate(sums)]));
  }
}
