import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelPartResidency, ModelResidency, Residency } from '@loupe/shared';
import type { Config } from '../config';
import type { ModelResidencySnapshot, ResidencyAction, WorkerInit } from './protocol';
import { WorkerProcess, type WorkerOptions } from './worker-process';

const RANK: Record<Residency, number> = { unloaded: 0, ram: 1, device: 2 };
/** Residency actions wait for the child's current tile (its event loop is inside run()); a long tile is the usual delay. */
const RESIDENCY_TIMEOUT_MS = 120_000;
/** Probes go to idle children only: one session created on the device and a 32×32 run. */
const PROBE_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 5_000;

type LoadTimings = NonNullable<ModelResidencySnapshot['timings']>;
const slower = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);
/** Merged over children: the slowest load and reload, the times a client should expect. */
function slowest(a: LoadTimings | undefined, b: LoadTimings): LoadTimings {
  if (!a) return { ...b };
  return {
    lastLoadMs: slower(a.lastLoadMs, b.lastLoadMs),
    lastReloadMs: slower(a.lastReloadMs, b.lastReloadMs),
  };
}

export interface SupervisorHooks {
  onWorkerAvailable(): void;
  onRestart(index: number, reason: string): void;
  log(message: string): void;
}

/**
 * Owns the inference children: starts one per device, restarts any that die (with backoff so a
 * crash loop does not spin), tracks device health and merges their residency reports.
 */
export class Supervisor {
  readonly workers: (WorkerProcess | undefined)[];
  readonly restarts: number[];
  readonly tempDir: string;
  deviceLost: string | undefined;
  /** Set when a child speaks another protocol version: the server and dist/worker.js are from different builds. */
  incompatibility: string | undefined;
  private stopping = false;
  private readonly crashStreak: number[];
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: Config,
    private readonly hooks: SupervisorHooks,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly workerOptions: WorkerOptions = {},
  ) {
    this.tempDir = join(tmpdir(), `loupe-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(this.tempDir, { recursive: true });
    this.workers = Array.from({ length: config.LOUPE_WORKERS }, () => undefined);
    this.restarts = this.workers.map(() => 0);
    this.crashStreak = this.workers.map(() => 0);
    this.workers.forEach((_, i) => this.spawn(i));
  }

  /** An idle worker not in `reserved` (workers handed a job whose run has not started yet). */
  idleWorker(reserved: ReadonlySet<WorkerProcess> = new Set()): WorkerProcess | undefined {
    if (this.stopping) return undefined;
    return this.workers.find((w) => w?.state === 'idle' && !reserved.has(w));
  }

  /** Every slot has a child that finished its init handshake. */
  get allUp(): boolean {
    return this.workers.every((w) => w && (w.state === 'idle' || w.state === 'busy'));
  }

  get firstReady(): WorkerProcess | undefined {
    return this.workers.find((w) => w?.choice);
  }

  /** One entry per model, merged over children: the most resident place wins, counters add up. */
  residency(now = Date.now()): ModelResidency[] {
    const merged = new Map<string, ModelResidencySnapshot>();
    for (const w of this.workers) {
      for (const m of w?.residency ?? []) {
        const prev = merged.get(m.id);
        if (!prev) {
          merged.set(m.id, {
            ...m,
            counters: { ...m.counters },
            ...(m.timings ? { timings: { ...m.timings } } : {}),
            ...(m.parts ? { parts: m.parts.map((p) => ({ ...p })) } : {}),
          });
          continue;
        }
        if (RANK[m.residency] > RANK[prev.residency]) prev.residency = m.residency;
        prev.inUse += m.inUse;
        prev.lastUsedAt = Math.max(prev.lastUsedAt ?? 0, m.lastUsedAt ?? 0) || null;
        for (const k of ['loads', 'offloads', 'reloads', 'releases'] as const)
          prev.counters[k] += m.counters[k];
        if (m.timings) prev.timings = slowest(prev.timings, m.timings);
        for (const part of m.parts ?? []) mergePart((prev.parts ??= []), part);
      }
    }
    return [...merged.values()].map(({ lastUsedAt, ...m }) => ({
      ...m,
      idleSeconds: lastUsedAt === null ? null : Math.max(0, (now - lastUsedAt) / 1000),
    }));
  }

  async applyResidency(action: ResidencyAction, models?: string[]) {
    const live = this.workers.filter(
      (w): w is WorkerProcess => w?.state === 'idle' || w?.state === 'busy',
    );
    const answers = await Promise.all(
      live.map((w) => w.residencyAction(action, models, RESIDENCY_TIMEOUT_MS)),
    );
    const affected = new Set(answers.flatMap((a) => a.affected));
    const skippedInUse = new Set(answers.flatMap((a) => a.skippedInUse));
    return { action, affected: [...affected], skippedInUse: [...skippedInUse] };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.probeTimer);
    for (const w of this.workers) w?.kill();
    await Promise.all(this.workers.map((w) => w?.whenExited()));
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  private spawn(index: number): void {
    const init: WorkerInit = {
      index,
      ep: this.config.LOUPE_EP,
      modelsDir: this.config.LOUPE_MODELS_DIR,
      idleOffloadSeconds: this.config.LOUPE_IDLE_OFFLOAD_S,
      offloadAfterJob: this.config.LOUPE_OFFLOAD_AFTER_JOB,
      tempDir: this.tempDir,
      inlineMaxBytes: this.config.LOUPE_IPC_INLINE_MAX_BYTES,
    };
    this.workers[index] = new WorkerProcess(
      index,
      init,
      {
        onReady: (w) => {
          this.hooks.log(
            `worker ${index} (pid ${w.pid}) ready on ${w.choice?.ep}: ${w.choice?.reason}`,
          );
          // Stable for 30 s: the next crash starts a fresh backoff.
          setTimeout(() => {
            if (this.workers[index] === w && w.state !== 'dead') this.crashStreak[index] = 0;
          }, 30_000).unref();
          this.hooks.onWorkerAvailable();
        },
        onExit: (w, reason) => {
          if (this.stopping || this.workers[index] !== w) return;
          if (w.state === 'incompatible') {
            this.hooks.log(`worker ${index} not restarted: a restart starts the same build`);
            return;
          }
          this.restarts[index]!++;
          const delay = Math.min(10_000, 100 * 2 ** this.crashStreak[index]!++);
          this.hooks.onRestart(index, reason);
          this.hooks.log(
            `worker ${index} (pid ${w.pid}) exited (${reason}); restarting in ${delay} ms`,
          );
          setTimeout(() => !this.stopping && this.spawn(index), delay);
        },
        onResidency: () => {},
        onDeviceLost: (_w, message) => this.markDeviceLost(message),
        onProtocolError: (w, error) => {
          if (error.code === 'INCOMPATIBLE_PROTOCOL') this.incompatibility = error.message;
          this.hooks.log(error.message);
        },
      },
      this.env,
      this.workerOptions,
    );
  }

  /** Not ready until a known-good probe passes again on the device's EP. */
  private markDeviceLost(message: string): void {
    this.deviceLost = message;
    this.hooks.log(`device error, reporting not ready until a probe passes: ${message}`);
    clearInterval(this.probeTimer);
    this.probeTimer = setInterval(() => {
      const w = this.workers.find((x) => x?.state === 'idle');
      if (!w) return;
      w.probe(PROBE_TIMEOUT_MS)
        .then((answer) => {
          if (!answer.ok) return;
          this.deviceLost = undefined;
          clearInterval(this.probeTimer);
          this.hooks.log(`device healthy again: ${answer.message}`);
        })
        .catch(() => {});
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }
}

/** A pipeline part over children: the most resident place wins, uses add up, the slowest load. */
function mergePart(parts: ModelPartResidency[], part: ModelPartResidency): void {
  const prev = parts.find((p) => p.part === part.part);
  if (!prev) {
    parts.push({ ...part });
    return;
  }
  if (RANK[part.residency] > RANK[prev.residency]) prev.residency = part.residency;
  prev.inUse += part.inUse;
  if (part.lastLoadMs !== null) prev.lastLoadMs = Math.max(prev.lastLoadMs ?? 0, part.lastLoadMs);
}
