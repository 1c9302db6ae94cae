import type { EditMetadata, ExecutionProvider, Placement, Timings } from '../../api/execution';
import type { GenerationMetadata } from '../../api/generation';
import type { Step } from '../../ops/pipeline';
import type { EpFallback } from './fallback';

/** What a host knows once an edit has run; stages it does not have (decode, encode) default to 0. */
export interface EditReport {
  readonly steps: readonly Step[];
  readonly placement: Placement;
  /** The EP that produced the result, and the fallback that led there when there was one. */
  readonly ep: ExecutionProvider;
  readonly fallback?: EpFallback | undefined;
  readonly device: string;
  readonly models: readonly string[];
  readonly tiles: number;
  readonly timings: Omit<Timings, 'decodeMs' | 'encodeMs'> & Partial<Timings>;
  readonly input: EditMetadata['input'];
  readonly output: EditMetadata['output'];
  /** From `ExecuteResult.generation`, for a generative edit. */
  readonly generation?: GenerationMetadata | undefined;
}

/**
 * The metadata attached to every result, built the same way by the browser worker and the
 * server: the steps as they ran (params copied, so later edits of the request do not leak in),
 * and `fallback` only when there was one.
 *
 * @example editMetadata({ steps, placement: 'browser', ep: 'wasm', fallback, device: 'WASM, 4 threads',
 *   models, tiles, timings: { queueMs, inferMs, totalMs }, input, output })
 */
export function editMetadata(report: EditReport): EditMetadata {
  const { timings } = report;
  return {
    steps: report.steps.map((s) => ({ op: s.op, params: { ...s.params } })),
    models: [...report.models],
    placement: report.placement,
    ep: report.ep,
    device: report.device,
    ...(report.fallback
      ? { fallback: { from: report.fallback.from, reason: report.fallback.reason } }
      : {}),
    timings: {
      queueMs: timings.queueMs,
      decodeMs: timings.decodeMs ?? 0,
      inferMs: timings.inferMs,
      encodeMs: timings.encodeMs ?? 0,
      totalMs: timings.totalMs,
    },
    tiles: report.tiles,
    input: { ...report.input },
    output: { ...report.output },
    ...(report.generation
      ? { generation: { ...report.generation, seeds: [...report.generation.seeds] } }
      : {}),
  };
}
