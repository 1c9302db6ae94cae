import {
  BROWSER_EPS,
  RateSumsSchema,
  addRun,
  measurableRun,
  toRate,
  type BrowserEp,
  type LocalMeasurements,
  type RateSums,
  type WorkEstimate,
} from '@loupe/shared';
import { z } from 'zod';

/** What the app times besides compute: the link to the server and the codecs around it. */
export const LINK_MEASURES = ['uplink', 'downlink', 'pngEncode', 'resultDecode'] as const;
export type LinkMeasure = (typeof LINK_MEASURES)[number];

/**
 * Below these a transfer times the round trip rather than the link, and an encode or decode
 * its setup rather than its speed (bytes for the link, pixels for the codecs).
 */
const MIN_AMOUNT: Record<LinkMeasure, number> = {
  uplink: 256 * 1024,
  downlink: 256 * 1024,
  pngEncode: 250_000,
  resultDecode: 250_000,
};

/** Bumped when the stored shape changes; an old or damaged entry is ignored, never trusted. */
export const THROUGHPUT_STORAGE_KEY = 'loupe-throughput-v1';

const StoredSchema = z.object({
  compute: z.partialRecord(z.enum(BROWSER_EPS), z.record(z.string(), RateSumsSchema)),
  links: z.partialRecord(z.enum(LINK_MEASURES), RateSumsSchema),
});
type Stored = z.infer<typeof StoredSchema>;

export interface ThroughputStore {
  /** What has been measured, as the time model reads it; the same object until something is recorded. */
  snapshot(): LocalMeasurements;
  /** A browser run: its work on `ep` took `seconds` of compute (sessions already made). */
  recordCompute(ep: BrowserEp, work: WorkEstimate, seconds: number): void;
  /** A transfer of `amount` bytes, or an encode or decode of `amount` pixels, took `seconds`. */
  recordLink(kind: LinkMeasure, amount: number, seconds: number): void;
  subscribe(listener: () => void): () => void;
}

function load(storage: Pick<Storage, 'getItem'> | undefined): Stored {
  try {
    const raw = storage?.getItem(THROUGHPUT_STORAGE_KEY);
    const parsed = raw ? StoredSchema.safeParse(JSON.parse(raw)) : undefined;
    if (parsed?.success) return parsed.data;
  } catch {
    // Unreadable storage (private mode, bad JSON): start from the priors.
  }
  return { compute: {}, links: {} };
}

function measurements({ compute, links }: Stored): LocalMeasurements {
  const rates = (sums: Readonly<Record<string, RateSums>>) =>
    Object.fromEntries(Object.entries(sums).map(([key, s]) => [key, toRate(s)]));
  return {
    compute: Object.fromEntries(
      Object.entries(compute).map(([ep, byKey]) => [ep, rates(byKey)]),
    ) as LocalMeasurements['compute'],
    ...rates(links),
  };
}

/**
 * This browser's own speeds, from its own runs, kept in `storage` (localStorage in the app) so
 * a reload still knows them. Framework-free; the run service records, placement reads.
 *
 * @example
 * const store = createThroughputStore(localStorage);
 * store.recordCompute('wasm', estimateWork(steps, size, models), 13.9);
 * decidePlacement({ ...input, measured: store.snapshot() });
 */
export function createThroughputStore(
  storage?: Pick<Storage, 'getItem' | 'setItem'>,
): ThroughputStore {
  let stored = load(storage);
  let snapshot = measurements(stored);
  const listeners = new Set<() => void>();
  const commit = (next: Stored) => {
    stored = next;
    snapshot = measurements(next);
    try {
      storage?.setItem(THROUGHPUT_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Full or refused: the measurement still counts for this tab.
    }
    for (const listener of listeners) listener();
  };
  return {
    snapshot: () => snapshot,
    recordCompute(ep, work, seconds) {
      const run = measurableRun(work, seconds);
      if (!run) return;
      const byKey = stored.compute[ep] ?? {};
      commit({
        ...stored,
        compute: {
          ...stored.compute,
          [ep]: { ...byKey, [run.key]: addRun(byKey[run.key], run.flops, seconds) },
        },
      });
    },
    recordLink(kind, amount, seconds) {
      if (amount < MIN_AMOUNT[kind] || !(seconds > 0)) return;
      commit({
        ...stored,
        links: { ...stored.links, [kind]: addRun(stored.links[kind], amount, seconds) },
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
