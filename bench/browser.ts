// Benchmark 6 (issue item 3): Loupe's web worker (onnxruntime-web, WASM and WebGPU) vs UpscalerJS
// (tfjs wasm and webgl) in the same page of Debian's Chromium, same image, esrgan-slim ×2.
import { chromium, type Page } from '@playwright/test';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { msSpread, ratio } from './lib/format';
import { buildPage, servePage } from './lib/browser-page';
import { psnr } from './lib/images';
import { versionsOf } from './lib/machine';
import { writeResult } from './lib/result';
import { interleave, pairedRatios, summarize } from './lib/stats';

const NAME = 'browser';
const CHROMIUM = '/usr/bin/chromium';

type Contender = 'loupe-wasm' | 'loupe-webgpu' | 'upscalerjs-wasm' | 'upscalerjs-webgl';
interface Answer {
  ms: number;
  ep: string;
  fallback: string | null;
  rgb: string;
}

function call(page: Page, who: Contender, side: number): Promise<Answer> {
  const [lib, ep] = who.split('-') as ['loupe' | 'upscalerjs', string];
  return page.evaluate(
    ([l, e, s]) =>
      (
        window as unknown as {
          loupeBench: Record<string, (e: string, s: number) => Promise<Answer>>;
        }
      ).loupeBench[l]!(e, s),
    [lib, ep, side] as const,
  );
}

/**
 * WebGPU and WebGL here are SwiftShader (CPU emulation): ~150× slower than WASM, so they get a
 * 32² image; the WASM pair gets 64² and 128².
 */
function matrix(quick: boolean): { side: number; pair: [Contender, Contender]; reps: number }[] {
  const wasm = (side: number, reps: number) => ({
    side,
    pair: ['upscalerjs-wasm', 'loupe-wasm'] as [Contender, Contender],
    reps,
  });
  const gpu = {
    side: 32,
    pair: ['upscalerjs-webgl', 'loupe-webgpu'] as [Contender, Contender],
    reps: quick ? 2 : 3,
  };
  return quick ? [wasm(64, 3), gpu] : [wasm(64, 5), wasm(128, 3), gpu];
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  log(NAME, 'building the page');
  await buildPage();
  const site = await servePage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
    ],
  });
  const rows: string[][] = [];
  const notes: string[] = [];
  const data: unknown[] = [];
  let info: unknown;
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => notes.push(`page error: ${e.message.slice(0, 200)}`));
    await page.goto(site.url);
    await page.waitForFunction(() => 'loupeBench' in window);
    info = await page.evaluate(() =>
      (window as unknown as { loupeBench: { init(): Promise<unknown> } }).loupeBench.init(),
    );
    for (const k of matrix(quick)) {
      const [peer, ours] = k.pair;
      log(NAME, `${ours} vs ${peer} at ${k.side}² (1 warm-up + ${k.reps} rounds)`);
      const out: Partial<Record<Contender, Answer>> = {};
      // Timed inside the page (performance.now around the call), not including the hop to Node.
      const inPage: Record<string, number[]> = { [peer]: [], [ours]: [] };
      await interleave(
        {
          [peer]: async () => inPage[peer]!.push((out[peer] = await call(page, peer, k.side)).ms),
          [ours]: async () => inPage[ours]!.push((out[ours] = await call(page, ours, k.side)).ms),
        },
        { warmup: 1, reps: k.reps },
      );
      const p = inPage[peer]!.slice(1);
      const o = inPage[ours]!.slice(1);
      const r = pairedRatios(p, o);
      const dB = psnr(Buffer.from(out[ours]!.rgb, 'base64'), Buffer.from(out[peer]!.rgb, 'base64'));
      rows.push([
        `${ours} (ran on ${out[ours]!.ep}${out[ours]!.fallback ? `, fallback: ${out[ours]!.fallback}` : ''}) vs ${peer}`,
        `${k.side}²`,
        ratio(r),
        msSpread(summarize(p)),
        msSpread(summarize(o)),
        dB.toFixed(1),
        String(k.reps),
      ]);
      data.push({ ...k, peer: p, ours: o, ratio: r, psnr: dB, ep: out[ours]!.ep });
    }
  } finally {
    await browser.close();
    await site.close();
  }

  return writeResult(
    {
      name: NAME,
      title: 'In the browser',
      quick,
      versions: {
        chromium: browser.version(),
        ...versionsOf(['@tensorflow/tfjs', 'upscaler']),
        ...versionsOf(['onnxruntime-web'], `${import.meta.dirname}/../apps/web`),
      },
      conditions: [
        `Headless ${CHROMIUM} with --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader --enable-features=Vulkan; page served from 127.0.0.1 with COOP/COEP (cross-origin isolated, so ORT's WASM may use threads); page info: ${JSON.stringify(info).slice(0, 400)}`,
        "Loupe: apps/web/src/inference/client.ts (createBrowserInference → its web worker → shared engine → onnxruntime-web), built by the web app's Vite with its ort-assets plugin; models from public/models via the worker's own model store",
        'UpscalerJS: its browser build with @upscalerjs/esrgan-slim 2x (model.json served locally), tfjs backend switched per call with tf.setBackend',
        'Times are measured inside the page around each call; rounds interleaved; first round of each contender untimed',
        'WebGPU and WebGL are SwiftShader software renderers here, not a GPU: their ratio says nothing about real GPUs',
      ],
      tables: [
        {
          title:
            'Speed ratio UpscalerJS / Loupe in Chromium, esrgan-slim ×2 (higher is better for Loupe)',
          columns: ['pair', 'input', 'ratio', 'UpscalerJS ms', 'Loupe ms', 'PSNR dB', 'rounds'],
          rows,
        },
      ],
      goals: [],
      notes,
      data,
    },
    started,
  );
}

runIfMain(import.meta.url, run);
