import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { createSession, releaseSession, runSession } from '@loupe/runtime-node';
import {
  createRgbaImage,
  imageToTensor,
  tensorToImage,
  UNIT_RANGE,
  type TensorData,
} from '@loupe/shared';
import { buildMaxim } from '../tools/models/src/tfjs-graph/maxim';
import { INPUT } from '../tools/models/src/tfjs-graph/graph-to-onnx';
import { decode, maxAbsDiff, photoPng, type Pixels } from './fixtures/images';

/**
 * Issue #16: MAXIM on WebGPU gives the server's pixels. The app ships one 256² graph per task,
 * and a 256² tile on SwiftShader would take ~30 min (a 64² deblurring one took 106–118 s here),
 * so this runs the deraining package's graph (two stages: 3.24 MFLOP/px against deblurring's
 * three, 5.07) converted by the project's converter for one 64² tile: the same converter and
 * ops, at the smallest size the graph takes. The browser side is the onnxruntime-web build the
 * app bundles, on the WebGPU EP alone (no WASM to fall back to); the server side is
 * @loupe/runtime-node's CPU session, the server child's. Tiling, padding and harmonising are
 * shared code, checked by restore.spec.ts's WASM run against the server.
 */
const SIDE = 64;
const ORT_DIST = resolve(import.meta.dirname, '../apps/web/node_modules/onnxruntime-web/dist');
const LAYOUT = { channels: 3, normalization: UNIT_RANGE } as const;
const RECT = { x: 0, y: 0, width: SIDE, height: SIDE };

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import * as ort from '/ort/ort.webgpu.min.mjs';
ort.env.wasm.wasmPaths = '/ort/';
window.restore = async (input) => {
  const adapter = await navigator.gpu.requestAdapter();
  const session = await ort.InferenceSession.create('/model.onnx', { executionProviders: ['webgpu'] });
  const started = performance.now();
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(input), [1, 3, ${SIDE}, ${SIDE}]) });
  const tensor = out[session.outputNames[0]];
  const data = Array.from(await tensor.getData());
  const ms = performance.now() - started;
  await session.release();
  return { data, dims: tensor.dims, ms, adapter: adapter.info.vendor + ' ' + adapter.info.architecture };
};
window.ready = true;
</script>`;

function toPixels(tensor: TensorData): Pixels {
  const image = createRgbaImage(SIDE, SIDE);
  image.data.fill(255);
  tensorToImage(tensor, RECT, image, 0, 0, LAYOUT);
  return { width: SIDE, height: SIDE, data: image.data };
}

test('MAXIM deraining on WebGPU (SwiftShader) gives the server runtime’s pixels within 1 LSB, at one 64² tile', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const model = await buildMaxim('deraining', SIDE);
  const photo = await decode(await photoPng(SIDE));
  const input = imageToTensor(photo, RECT, LAYOUT);

  const session = await createSession(model.onnx, { ep: 'cpu' });
  let server: Pixels;
  try {
    const out = await runSession(session, { [INPUT]: input });
    server = toPixels(Object.values(out)[0]!);
  } finally {
    await releaseSession(session);
  }

  // A plain local server (loopback, so the page is a secure context and has WebGPU): the page,
  // the app's onnxruntime-web files and the 64² model.
  const files = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string | Uint8Array) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (path === '/') return send('text/html', PAGE);
    if (path === '/model.onnx') return send('application/octet-stream', model.onnx);
    if (path.startsWith('/ort/ort') && !path.includes('..')) {
      const file = resolve(ORT_DIST, path.slice('/ort/'.length));
      return send(
        file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
        readFileSync(file),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((up) => files.listen(0, '127.0.0.1', up));
  const ORIGIN = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  let browser: { data: number[]; dims: number[]; ms: number; adapter: string };
  try {
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    browser = await page.evaluate(
      (values) =>
        (
          window as unknown as {
            restore: (v: number[]) => Promise<{
              data: number[];
              dims: number[];
              ms: number;
              adapter: string;
            }>;
          }
        ).restore(values),
      Array.from(input.data),
    );
  } finally {
    files.closeAllConnections();
    files.close();
  }
  expect(browser.adapter).toContain('google');
  expect(browser.dims).toEqual([1, 3, SIDE, SIDE]);
  const webgpu = toPixels({ data: Float32Array.from(browser.data), dims: browser.dims });
  const diff = maxAbsDiff(webgpu, server);
  test.info().annotations.push({
    type: 'measured',
    description: `${browser.adapter}: ${(browser.ms / 1000).toFixed(1)} s for one 64² tile, max |Δ| ${diff} against the server runtime`,
  });
  // Not a copy of its input: the graph ran (it moves pixels by more than rounding).
  expect(maxAbsDiff(webgpu, photo)).toBeGreaterThan(1);
  expect(diff).toBeLessThanOrEqual(1);
});
