import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, describeMachine, type Machine } from './machine';

/** A table as it will appear in docs/benchmarks.md; cells are preformatted strings. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export type GoalStatus = 'met' | 'not met' | 'not run';

/** One of the goals; `key` ties a measurement to the goal it answers. */
export type GoalKey =
  | 'upscale-cpu'
  | 'background-removal'
  | 'matmul-fraction'
  | 'gpu-floor'
  | 'server-overhead'
  | 'encode-overhead'
  | 'health-p99'
  | 'server-memory'
  | 'diffusion-matmul-fraction'
  | 'diffusion-gpu'
  | 'maxim-matmul-fraction';

export interface Goal {
  readonly key: GoalKey;
  /** What was measured, e.g. "esrgan-slim ×2, 256²". */
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly status: GoalStatus;
}

/** What every benchmark writes to bench/results/<name>.json; the docs are rendered from it. */
export interface BenchResult {
  readonly name: string;
  readonly title: string;
  readonly generatedAt: string;
  readonly quick: boolean;
  readonly wallSeconds: number;
  readonly machine: Machine;
  readonly versions: Record<string, string>;
  readonly conditions: readonly string[];
  readonly tables: readonly Table[];
  readonly goals: readonly Goal[];
  readonly notes: readonly string[];
  /** Raw numbers (per-case samples, settings) for anyone re-analysing the run. */
  readonly data: unknown;
}

export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export function resultPath(name: string): string {
  return path.join(RESULTS_DIR, `${name}.json`);
}

export function writeResult(
  partial: Omit<BenchResult, 'generatedAt' | 'machine' | 'wallSeconds'>,
  startedAt: number,
): BenchResult {
  const result: BenchResult = {
    ...partial,
    generatedAt: new Date().toISOString(),
    wallSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
    machine: describeMachine(),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resultPath(partial.name), JSON.stringify(result, null, 2) + '\n');
  return result;
}

export function readResult(name: string): BenchResult | undefined {
  try {
    return JSON.parse(readFileSync(resultPath(name), 'utf8')) as BenchResult;
  } catch {
    return undefined;
  }
}
