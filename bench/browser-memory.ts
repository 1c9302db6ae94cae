// Benchmark 7 (issue item 6): peak memory of the browser tab while the real web app, served by the
// real server, runs a 6000² ×2 upscale in its inference worker; and the tab's peak against
// UpscalerJS's on the same image and weights, each in a fresh Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { buildPage, servePage } from './lib/browser-page';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  launchMeasuredChromium,
  sampleChromium,
  sampleJsHeap,
  type MeasuredChromium,
  type TreeMemory,
} from './lib/chromium-memory';
import { photoJpeg } from './lib/images';
import { LoupeApp } from './lib/loupe-app';
import { REPO_ROOT, versionsOf } from './lib/machine';
import { loadManifest } from './lib/models';
import { writeResult } from './lib/result';
import { SERVER_ENTRY, ensureServerBuilt, startServer } from './lib/server-process';

const NAME = 'browser-memory';
const WEB_DIST = path.join(REPO_ROOT, 'apps/web/dist/index.html');
const MiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/** `pnpm --filter @loupe/web build` when apps/web/dist is missing or older than its sources. */
function ensureWebBuilt(): string | undefined {
  const sources = ['apps/web/src', 'packages/shared/src'].map((d) =>
    newest(path.join(REPO_ROOT, d)),
  );
  if (existsSync(WEB_DIST) && statSync(WEB_DIST).mtimeMs >= Math.max(...sources)) return undefined;
  const r = spawnSync('pnpm', ['--filter', '@loupe/web', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(WEB_DIST))
    throw new Error(`pnpm --filter @loupe/web build failed: ${(r.stderr || r.stdout).slice(-500)}`);
  return 'apps/web/dist was older than its sources and was rebuilt';
}

/** The tree's memory over `ms` with nothing happening: what the tab holds at rest. */
async function idle(chrome: MeasuredChromium, ms = 2000): Promise<TreeMemory> {
  const sampler = sampleChromium(chrome.pid);
  await pause(ms);
  return sampler.stop();
}

/**
 * The tab's peak: its renderer's VmHWM, which catches what the 100 ms samples miss (UpscalerJS's
 * short-lived tensors peaked ~70 MiB above the highest sample).
 */
const top = (m: TreeMemory) => m.topRenderer?.hwm ?? 0;
const sampledTop = (m: TreeMemory) => m.topRenderer?.peakRss ?? 0;

/** The tab's renderer at rest: the process that peaked in `run`, as `before` saw it. */
const tabAtRest = (before: TreeMemory, run: TreeMemory) =>
  before.processes.find((p) => p.pid === run.topRenderer?.pid)?.peakRss ?? 0;

interface AppRun {
  readonly chromium: string;
  readonly side: number;
  readonly ranOn: string;
  readonly placement: string;
  readonly seconds: number;
  readonly idleLoaded: TreeMemory;
  readonly idleWithImage: TreeMemory;
  readonly run: TreeMemory;
  readonly jsHeap: { used: number; total: number };
  readonly errors: string[];
}

/**
 * The app as a user runs it: open the page, pick the edit, force Browser and WASM, open the
 * photo, Run, and wait until the result canvas holds the 2× picture.
 */
async function measureApp(url: string, side: number): Promise<AppRun> {
  const chrome = await launchMeasuredChromium();
  const errors: string[] = [];
  try {
    const page = await chrome.browser.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message.slice(0, 200)}`));
    page.on('crash', () => errors.push('the tab crashed'));
    const app = new LoupeApp(page);
    await app.open(url);
    const idleLoaded = await idle(chrome);
    await app.browserEngine('WASM');
    await app.runOn('Browser');
    const jpeg = await photoJpeg(side, side);
    log(NAME, `app: opening a ${side}² JPEG (${(jpeg.length / 2 ** 20).toFixed(1)} MiB)`);
    await app.upload(
      { name: `photo-${side}.jpg`, mimeType: 'image/jpeg', buffer: jpeg },
      side,
      side,
    );
    await app.chooseOperation('Enhance illustration');
    await app.selectParam('Mode', 'Restore and upscale 2×');
    await app.selectParam('Network size', 'Small (fastest)');
    await app.selectParam('Content', 'Real life');
    const placement = (await app.placement.innerText()).replace(/\s+/g, ' ');
    if (!placement.includes('Browser (WASM)'))
      throw new Error(`the app would not run this in the browser on WASM: ${placement}`);
    await pause(1000);
    const idleWithImage = await idle(chrome);
    log(NAME, `app: ${side}² → ${2 * side}² in the browser (${placement})`);
    const sampler = sampleChromium(chrome.pid);
    const heap = await sampleJsHeap(page);
    const t0 = performance.now();
    const ranOn = await app.run(1, 'Enhance illustration', 2 * side, 20 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    // Thumbnails and the history's copies are made after the result is shown.
    await pause(3000);
    const jsHeap = await heap.stop();
    const run = sampler.stop();
    const shown = await app.dimensions.innerText();
    if (shown !== `${side} × ${side} → ${2 * side} × ${2 * side}`)
      throw new Error(`the app shows ${shown} after the run`);
    const chromium = chrome.browser.version();
    return {
      chromium,
      side,
      ranOn,
      placement,
      seconds,
      idleLoaded,
      idleWithImage,
      run,
      jsHeap,
      errors,
    };
  } finally {
    await chrome.close();
  }
}

type Contender = 'upscalerjs' | 'loupe';

interface PeerRun {
  readonly who: Contender;
  readonly side: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms?: number;
  readonly idle: TreeMemory;
  readonly run: TreeMemory;
}

/** How much the tab grew over its idle size during the call. */
const tabGrowth = (p: PeerRun) => top(p.run) - tabAtRest(p.idle, p.run);

/** esrgan-slim ×2 tiles: Loupe's spec (128² with 12 px overlap), the same patches for UpscalerJS. */
const SLIM_PATCH = { patchSize: 128, padding: 12 };

function callPeer(page: Page, who: Contender, side: number) {
  return page.evaluate(
    ([w, s, patch]) => {
      const bench = (
        window as unknown as {
          loupeBench: Record<
            string,
            (e: string, s: number, o: object) => Promise<{ ms: number; width: number }>
          >;
        }
      ).loupeBench;
      return bench[w]!('wasm', s, { pixels: false, ...patch });
    },
    [who, side, SLIM_PATCH] as const,
  );
}

/** One contender in a fresh Chromium, so neither inherits the other's heaps. */
async function measurePeer(siteUrl: string, who: Contender, side: number): Promise<PeerRun> {
  const chrome = await launchMeasuredChromium();
  try {
    const page = await chrome.browser.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.goto(siteUrl);
    await page.waitForFunction(() => 'loupeBench' in window);
    // Both libraries are initialised in both runs (tfjs's wasm backend, Loupe's worker).
    await page.evaluate(() =>
      (window as unknown as { loupeBench: { init(): Promise<unknown> } }).loupeBench.init(),
    );
    await pause(1000);
    const before = await idle(chrome);
    const sampler = sampleChromium(chrome.pid);
    try {
      const out = await callPeer(page, who, side);
      if (out.width !== 2 * side) throw new Error(`returned ${out.width} px wide`);
      return { who, side, ok: true, ms: out.ms, idle: before, run: sampler.stop() };
    } catch (e) {
      const message = crashed ? 'the tab crashed (out of memory)' : (e as Error).message;
      return {
        who,
        side,
        ok: false,
        error: message.slice(0, 300),
        idle: before,
        run: sampler.stop(),
      };
    }
  } finally {
    await chrome.close();
  }
}

export async function run({ quick, full = false }: BenchOptions) {
  const started = performance.now();
  if (!loadManifest())
    throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const notes: string[] = [];
  const rebuilt = ensureWebBuilt();
  if (rebuilt) notes.push(rebuilt);
  if (!existsSync(SERVER_ENTRY)) {
    const build = ensureServerBuilt();
    if (!build.built) throw new Error(`the server could not be built: ${build.error}`);
  }
  const appSide = quick ? 3000 : 6000;
  const peerSides = quick ? [512] : full ? [1024, 2048] : [2048];

  const server = await startServer();
  let app: AppRun;
  try {
    app = await measureApp(server.url, appSide);
  } finally {
    await server.stop();
  }
  log(NAME, `app: ${app.seconds.toFixed(0)} s, tab peak ${MiB(top(app.run))}`);
  notes.push(...app.errors);

  log(NAME, 'building the peer page');
  await buildPage();
  const site = await servePage();
  const peers: PeerRun[] = [];
  try {
    for (const side of peerSides) {
      for (const who of ['upscalerjs', 'loupe'] as const) {
        log(NAME, `${who} esrgan-slim ×2 at ${side}² in a fresh Chromium`);
        const r = await measurePeer(site.url, who, side);
        log(
          NAME,
          `${who}: ${r.ok ? `${((r.ms ?? 0) / 1000).toFixed(0)} s` : r.error}, tab peak ${MiB(top(r.run))}`,
        );
        peers.push(r);
      }
    }
  } finally {
    await site.close();
  }

  const appRows = [
    [
      'enhance-illustration 2× (Anime4K S), WASM',
      `${appSide}² → ${2 * appSide}²`,
      MiB(top(app.run)),
      MiB(sampledTop(app.run)),
      MiB(app.run.treePeak),
      MiB(app.run.kindPeaks.gpu),
      MiB(tabAtRest(app.idleWithImage, app.run)),
      MiB(tabAtRest(app.idleLoaded, app.run)),
      MiB(app.idleLoaded.treePeak),
      MiB(app.jsHeap.used),
      `${app.seconds.toFixed(1)} s`,
    ],
  ];
  const peerRows = peerSides.flatMap((side) => {
    const [theirs, ours] = (['upscalerjs', 'loupe'] as const).map((w) =>
      peers.find((p) => p.who === w && p.side === side)!,
    ) as [PeerRun, PeerRun];
    const ratio =
      theirs.ok && ours.ok
        ? `${(top(theirs.run) / top(ours.run)).toFixed(2)}× (over idle ${(tabGrowth(theirs) / tabGrowth(ours)).toFixed(2)}×)`
        : 'n/a';
    const row = (p: PeerRun, r: string) => [
      p.who === 'loupe' ? "Loupe's worker (onnxruntime-web)" : 'UpscalerJS (tfjs wasm)',
      `${side}² → ${2 * side}²`,
      p.ok ? MiB(top(p.run)) : `failed: ${p.error}`,
      MiB(sampledTop(p.run)),
      MiB(tabGrowth(p)),
      MiB(p.run.treePeak),
      p.ok ? `${((p.ms ?? 0) / 1000).toFixed(1)} s` : '—',
      r,
    ];
    return [row(theirs, ''), row(ours, ratio)];
  });

  return writeResult(
    {
      name: NAME,
      title: 'Browser memory',
      quick,
      versions: {
        chromium: app.chromium,
        ...versionsOf(['@tensorflow/tfjs', 'upscaler']),
        ...versionsOf(['onnxruntime-web'], `${import.meta.dirname}/../apps/web`),
      },
      conditions: [
        `Headless ${CHROMIUM} ${CHROMIUM_ARGS.join(' ')}, no WebGPU flags; a fresh browser per row`,
        `App row: the real server (\`node apps/server/dist/server.js\`) serving the built web app (apps/web/dist); the page is driven by role and name like the e2e suite: GPU panel → Browser engine WASM, Run on → Browser, open the hibiscus photo resized to ${appSide}² as a JPEG (q90) through the file input, Enhance illustration (Restore and upscale 2×, Small, Real life), Run, wait until the history shows step 1, the header shows the ${2 * appSide} px wide result and the result layer has drawn it (not aria-busy), then 3 s more (thumbnails). Placement said: "${app.placement}"; the history row said: "${app.ranOn}"`,
        "Why Anime4K and not ESRGAN at 6000²: ESRGAN slim ×2 is ~1.6e13 FLOP there, far too long in WASM on 2 cores; Anime4K 2× S goes through the same tiled path (shared engine's runTiledModel: one tile's float tensors at a time, uint8 output assembly) at ~2 kFLOP per pixel",
        'Memory = VmRSS from /proc every 100 ms of every process descending from the Chromium browser process. "Tab" = the renderer process with the highest sample: the page, its inference worker and ORT\'s WASM threads live in it. Its peak is its VmHWM (the kernel\'s high-water mark, which catches a peak between samples); "whole browser" is the highest sum over all processes in one sample (pages shared between processes counted in each)',
        'Idle = peak over 2 s at rest: after the app loaded (before any image), and with the photo open just before Run',
        "JS heap = CDP Performance.getMetrics JSHeapUsedSize of the page's main thread, polled every 250 ms: ArrayBuffer contents and the worker's heap are not in it",
        `Peer rows: the bench page (bench/browser/, same page for both) in a fresh Chromium per row, both libraries initialised, then one call: UpscalerJS ${versionsOf(['upscaler']).upscaler} on tfjs wasm with esrgan-slim 2x, patchSize ${SLIM_PATCH.patchSize}, padding ${SLIM_PATCH.padding} (the same 128² tiles with 12 px context as Loupe's esrgan-slim spec), output as a tensor read back with data(), single-threaded (tfjs's threaded wasm build fails when bundled, see section 6); Loupe's inference client (its worker, onnxruntime-web WASM, 2 threads) on the RGBA pixels. Ratio = UpscalerJS's peak tab (VmHWM) / Loupe's (higher is better for Loupe); "over idle" subtracts each tab's size at rest before the call`,
      ],
      tables: [
        {
          title: `The web app's tab during one ${appSide}² ×2 edit in the browser`,
          columns: [
            'edit',
            'size',
            'peak tab (VmHWM)',
            'highest tab sample',
            'whole browser peak',
            'GPU process peak',
            'tab idle, photo open',
            'tab idle, app loaded',
            'browser idle, app loaded',
            'JS heap peak (main thread)',
            'time',
          ],
          rows: appRows,
        },
        {
          title:
            'Peak tab memory, UpscalerJS / Loupe, esrgan-slim ×2 on WASM (higher is better for Loupe)',
          columns: [
            'who',
            'size',
            'peak tab (VmHWM)',
            'highest tab sample',
            'over idle',
            'whole browser peak',
            'time',
            'ratio',
          ],
          rows: peerRows,
        },
      ],
      goals: [],
      notes,
      data: { app, peers, patch: SLIM_PATCH },
    },
    started,
  );
}

runIfMain(import.meta.url, run);
