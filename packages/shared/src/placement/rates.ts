import { z } from 'zod';
import type { BrowserEp } from '../protocol/worker-messages';
import type { WorkEstimate } from './work-estimate';

/**
 * A measured speed: work per second (FLOP/s, bytes/s or pixels/s, as the field holding it
 * says) and how many runs it rests on.
 *
 * @example { perSecond: 4.2e10, samples: 3 } // 42 GFLOP/s over three runs
 */
export const RateSchema = z.object({
  perSecond: z.number().positive(),
  samples: z.number().int().positive(),
});
export type Rate = z.infer<typeof RateSchema>;

/** The decayed sums behind a `Rate`, as a store keeps them between runs. */
export const RateSumsSchema = z.object({
  work: z.number().positive(),
  seconds: z.number().positive(),
  samples: z.number().int().positive(),
});
export type RateSums = z.infer<typeof RateSumsSchema>;

/** Each new run keeps this much of the sums before it: roughly the last five runs count. */
const KEEP = 0.7;

/**
 * Runs shorter than this say more about fixed costs (a call into the runtime, the first tile's
 * buffers) than about speed: a 16² upscale measured 4 GFLOP/s on a machine that does 40.
 */
export const MIN_SAMPLE_SECONDS = 0.25;

/**
 * Nor does a run of little work: a first run's warm-up (kernel compilation, first allocations)
 * is inside its compute time, and on a busy machine a 0.1 GFLOP upscale outlasted 0.25 s and
 * priced this device 50× too slow.
 */
export const MIN_SAMPLE_FLOPS = 1e9;

/**
 * Adds one run to a rate. Sums of work and time, not a mean of rates, so a large run weighs
 * more than a small one; older runs fade so a device that got busier is noticed.
 *
 * @example addRun(undefined, 4e9, 2) // { work: 4e9, seconds: 2, samples: 1 }: 2 GFLOP/s
 */
export function addRun(sums: RateSums | undefined, work: number, seconds: number): RateSums {
  if (!sums) return { work, seconds, samples: 1 };
  return {
    work: sums.work * KEEP + work,
    seconds: sums.seconds * KEEP + seconds,
    samples: sums.samples + 1,
  };
}

/**
 * What one run measures: its rate key and FLOPs, or null when it says nothing reliable about
 * speed: too short or too little work, several keys (their time cannot be split between them), or a model of
 * unknown size.
 *
 * @example measurableRun(estimateWork([upscale], photo, models), 3.2) // { key: 'esrgan-slim-x2', flops: 1.4e11 }
 */
export function measurableRun(
  work: WorkEstimate,
  seconds: number,
): { key: string; flops: number } | null {
  const keys = new Set(work.steps.map((s) => s.key));
  if (seconds < MIN_SAMPLE_SECONDS || keys.size !== 1 || work.unknownModels.length) return null;
  if (work.flops < MIN_SAMPLE_FLOPS) return null;
  return { key: [...keys][0]!, flops: work.flops };
}

export function toRate(sums: RateSums): Rate {
  return { perSecond: sums.work / sums.seconds, samples: sums.samples };
}

/** FLOP/s by rate key (`rateKey`: a model id, or `op:<id>` for a step that runs no model). */
export type ComputeRates = Readonly<Record<string, Rate>>;

/**
 * What this browser has measured of itself and its link to the server, from its own runs.
 * Every field is optional: what is missing comes from the priors (`priors.ts`).
 */
export interface LocalMeasurements {
  /** FLOP/s of compute alone (sessions already made), per EP that ran it. */
  readonly compute?: Readonly<Partial<Record<BrowserEp, ComputeRates>>>;
  /** Bytes/s of uploads to the server (the whole request: sending, admission, decoding). */
  readonly uplink?: Rate;
  /** Bytes/s of downloads from the server. */
  readonly downlink?: Rate;
  /** Pixels/s of the browser's PNG encoder, which a changed picture goes through before upload. */
  readonly pngEncode?: Rate;
  /** Pixels/s of decoding a server result back to RGBA. */
  readonly resultDecode?: Rate;
}
