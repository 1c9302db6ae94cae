import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createLoupeClient } from '@loupe/client';
import {
  PROTOCOL_VERSION,
  type DiffusionModelInfo,
  type EditMetadata,
  type StepInput,
  type WorkerRequest,
} from '@loupe/shared';
import { tinyPipelineFixtures } from '../tools/models/src/diffusion/fixtures';
import { decode, maxAbsDiff, type Pixels } from './fixtures/images';
import { LoupeServer } from './fixtures/loupe-server';

/** The built inference worker (Vite names it by content hash). */
function workerAsset(): string {
  const assets = resolve(import.meta.dirname, '../apps/web/dist/assets');
  const file = readdirSync(assets).find((f) => /^worker-.*\.js$/.test(f));
  if (!file) throw new Error(`no worker bundle in ${assets}: run \`pnpm build\``);
  return `/assets/${file}`;
}

interface BrowserRun {
  pixels: Pixels;
  metadata: EditMetadata;
  previews: number;
  ms: number;
}

/**
 * The app's real worker bundle, spoken to in its own protocol from the page, as the app's
 * client does: the generative UI is a later issue (#14), and this is the path it will take.
 */
async function runInWorker(
  page: Page,
  worker: string,
  request: WorkerRequest,
): Promise<BrowserRun> {
  const out = await page.evaluate(
    ({ worker, request }) =>
      new Promise<{
        width: number;
        height: number;
        data: number[];
        metadata: EditMetadata;
        previews: number;
        ms: number;
      }>((done, fail) => {
        const w = new Worker(worker, { type: 'module' });
        const started = performance.now();
        let previews = 0;
        w.onerror = (e) => fail(new Error(e.message));
        w.onmessage = ({ data: m }) => {
          if (m.type === 'generation-preview') previews++;
          if (m.type === 'error') fail(new Error(`${m.error.code}: ${m.error.message}`));
          if (m.type !== 'result') return;
          done({
            width: m.image.width,
            height: m.image.height,
            data: Array.from(m.image.data as Uint8Array),
            metadata: m.metadata,
            previews,
            ms: performance.now() - started,
          });
          w.terminate();
        };
        w.postMessage(request);
      }),
    { worker, request },
  );
  return {
    pixels: { width: out.width, height: out.height, data: Uint8Array.from(out.data) },
    metadata: out.metadata,
    previews: out.previews,
    ms: out.ms,
  };
}

/**
 * Issue #13: the same seed gives the same pixels in the browser worker (onnxruntime-web) as on
 * the server (onnxruntime-node), on a tiny random-weight pipeline from tools/models.
 */
test.describe('generate: the same pixels in the browser as on the server', () => {
  const fixtures = tinyPipelineFixtures();
  let dir: string;
  let server: LoupeServer;
  let info: DiffusionModelInfo;
  let serverPixels: Pixels;
  const step: StepInput = {
    op: 'generate',
    params: {
      model: 'tiny',
      prompt: 'a red fox in the snow',
      seed: 1234,
      steps: 2,
      width: 64,
      height: 64,
    },
  };

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-e2e-diffusion-'));
    cpSync(fixtures.path('optimum-fp32'), join(dir, 'tiny'), { recursive: true });
    server = new LoupeServer({ LOUPE_DIFFUSION_DIR: dir });
    await server.start();
    const client = createLoupeClient({ baseUrl: server.url });
    const tiny = (await client.models()).diffusion.models.find((m) => m.id === 'tiny');
    if (tiny?.status !== 'ready')
      throw new Error(`tiny pipeline not ready: ${JSON.stringify(tiny)}`);
    info = tiny;
    const { image } = await client.edit(null, { steps: [step], format: 'png' });
    serverPixels = await decode(new Uint8Array(await image.arrayBuffer()));
  });
  test.afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // SwiftShader once took 96 s for this 64² run on the 2-core CI machine; with the text
  // embedding kept on the GPU the worker run took 35 s twice (2026-12-03; what made the difference
  // was not measured), so it runs by default. LOUPE_E2E_WEBGPU_GENERATE=0 skips it.
  const eps =
    process.env.LOUPE_E2E_WEBGPU_GENERATE === '0'
      ? (['wasm'] as const)
      : (['wasm', 'webgpu'] as const);
  for (const ep of eps) {
    test(`${ep === 'wasm' ? 'WASM' : 'WebGPU (SwiftShader)'}: within 1 LSB of the server`, async ({
      page,
    }) => {
      await page.goto(`${server.url}/health`);
      const run = await runInWorker(page, workerAsset(), {
        v: PROTOCOL_VERSION,
        id: '1',
        type: 'run',
        steps: [step],
        ep,
        diffusion: { info, filesUrl: `${server.url}/api/models/diffusion/tiny/files/` },
        previewEvery: 1,
      });
      expect(run.metadata.ep).toBe(ep);
      expect(run.metadata.generation?.seeds).toEqual([1234]);
      // WebGPU keeps the prompts' hidden states on the GPU for every UNet call (#13).
      expect(run.metadata.generation?.textEmbedding).toBe(ep === 'webgpu' ? 'gpu-buffer' : 'cpu');
      expect(run.previews).toBe(2);
      expect([run.pixels.width, run.pixels.height]).toEqual([64, 64]);
      const diff = maxAbsDiff(run.pixels, serverPixels);
      test.info().annotations.push({
        type: 'measured',
        description: `${ep}: max |browser − server| = ${diff} LSB, worker run ${Math.round(run.ms)} ms`,
      });
      expect(diff).toBeLessThanOrEqual(1);
    });
  }
});
