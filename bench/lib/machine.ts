import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  /** 1-minute load average when the benchmark started: other tenants' tests share these cores. */
  readonly loadAvg1: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAvg1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** The bench reaches onnxruntime-node only through @loupe/runtime-node: its version is that one's. */
const RUNTIME_NODE_DIR = path.join(REPO_ROOT, 'packages', 'runtime-node');
const VIA_RUNTIME_NODE = new Set(['onnxruntime-node']);

/** Version of a package as installed for the bench (read from disk: some packages hide package.json). */
export function installedVersion(pkg: string, from = BENCH_DIR): string {
  const dir = from === BENCH_DIR && VIA_RUNTIME_NODE.has(pkg) ? RUNTIME_NODE_DIR : from;
  try {
    const file = path.join(dir, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function versionsOf(pkgs: readonly string[], from = BENCH_DIR): Record<string, string> {
  return Object.fromEntries(pkgs.map((p) => [p, installedVersion(p, from)]));
}
