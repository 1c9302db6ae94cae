// Debian's Chromium launched so the bench knows its process id, and a /proc sampler for the
// memory of its process tree: the browser process, renderers (a tab, its workers), GPU, utilities.
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserServer, type Page } from '@playwright/test';
import { procMemory, processTree } from './server-process';

export const CHROMIUM = '/usr/bin/chromium';

/** The e2e suite's flags (e2e/fixtures/chromium.ts): no network chatter, no first-run work. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface MeasuredChromium {
  readonly browser: Browser;
  /** The browser process; every other Chromium process descends from it. */
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * `launchServer` rather than `launch`: it hands back the browser's process, whose tree the
 * sampler walks. Playwright's own client then connects to it as it would to a launched browser.
 */
export async function launchMeasuredChromium(
  args: readonly string[] = [],
): Promise<MeasuredChromium> {
  const server: BrowserServer = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    pid: server.process().pid!,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'utility' | 'zygote' | 'other';

function kindOf(pid: number, root: number): ProcessKind {
  if (pid === root) return 'browser';
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'other';
  }
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return 'utility';
  if (type === 'zygote') return 'zygote';
  return 'other';
}

export interface ProcessPeak {
  readonly pid: number;
  readonly kind: ProcessKind;
  /** Highest VmRSS among the samples. */
  readonly peakRss: number;
  /** The kernel's high-water mark (VmHWM): catches a peak between two samples. */
  readonly hwm: number;
}

export interface TreeMemory {
  readonly samples: number;
  readonly seconds: number;
  /** Highest sum of VmRSS over the whole tree in one sample. */
  readonly treePeak: number;
  /** Highest sum per kind in one sample. */
  readonly kindPeaks: Record<ProcessKind, number>;
  /** Every process seen, largest peak first. */
  readonly processes: readonly ProcessPeak[];
  /** The renderer with the highest peak: the tab doing the work (its workers live in it). */
  readonly topRenderer: ProcessPeak | null;
  /** [seconds since start, tree RSS, top renderer's RSS] every sample, for plotting. */
  readonly timeline: readonly (readonly [number, number, number])[];
}

const KINDS: readonly ProcessKind[] = ['browser', 'renderer', 'gpu', 'utility', 'zygote', 'other'];

/**
 * Samples the VmRSS of `root` and all its descendants every `everyMs` until `stop()`.
 * Sums of RSS count pages shared between processes (the zygote's libraries) once per process.
 */
export function sampleChromium(root: number, everyMs = 100): { stop(): TreeMemory } {
  const t0 = performance.now();
  const kinds = new Map<number, ProcessKind>();
  const peaks = new Map<number, { peakRss: number; hwm: number }>();
  const kindPeaks = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
  const timeline: [number, number, number][] = [];
  let treePeak = 0;
  const tick = () => {
    const sums = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
    let total = 0;
    let renderer = 0;
    for (const pid of processTree(root)) {
      const { rss, hwm } = procMemory(pid);
      if (rss === 0) continue;
      let kind = kinds.get(pid);
      if (!kind) kinds.set(pid, (kind = kindOf(pid, root)));
      const p = peaks.get(pid) ?? { peakRss: 0, hwm: 0 };
      peaks.set(pid, { peakRss: Math.max(p.peakRss, rss), hwm: Math.max(p.hwm, hwm) });
      sums[kind] += rss;
      total += rss;
      if (kind === 'renderer') renderer = Math.max(renderer, rss);
    }
    for (const k of KINDS) kindPeaks[k] = Math.max(kindPeaks[k], sums[k]);
    treePeak = Math.max(treePeak, total);
    timeline.push([Math.round(performance.now() - t0) / 1000, total, renderer]);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      tick();
      clearInterval(timer);
      const processes = [...peaks]
        .map(([pid, p]) => ({ pid, kind: kinds.get(pid)!, ...p }))
        .sort((a, b) => b.peakRss - a.peakRss);
      return {
        samples: timeline.length,
        seconds: (performance.now() - t0) / 1000,
        treePeak,
        kindPeaks,
        processes,
        topRenderer: processes.find((p) => p.kind === 'renderer') ?? null,
        timeline,
      };
    },
  };
}

export interface JsHeapPeak {
  /** Highest JSHeapUsedSize of the page's main thread (workers and ArrayBuffer contents excluded). */
  readonly used: number;
  readonly total: number;
}

/** Polls CDP `Performance.getMetrics` on `page` until `stop()`. */
export async function sampleJsHeap(
  page: Page,
  everyMs = 250,
): Promise<{ stop(): Promise<JsHeapPeak> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let used = 0;
  let total = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
      for (const m of metrics) {
        if (m.name === 'JSHeapUsedSize') used = Math.max(used, m.value);
        if (m.name === 'JSHeapTotalSize') total = Math.max(total, m.value);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await poll;
      await cdp.detach().catch(() => undefined);
      return { used, total };
    },
  };
}
