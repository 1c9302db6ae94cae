// The page the browser benchmark drives: Loupe's real inference client (its web worker) and
// UpscalerJS in the same page, on the same pixels. Playwright calls window.loupeBench.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import Upscaler from 'upscaler';
import slim2 from '@upscalerjs/esrgan-slim/2x';
import { parsePipeline, type RgbaImage } from '@loupe/shared';
import { createBrowserInference } from '../../apps/web/src/inference/client';

const inference = createBrowserInference({ idleTimeoutMs: 600_000 });
const upscalers = new Map<string, InstanceType<typeof Upscaler>>();

interface CallOptions {
  /** Return the output's RGB (base64) for a PSNR check; the memory benchmark leaves it out. */
  readonly pixels?: boolean;
  /** UpscalerJS's own tiling: patches of `patchSize`² with `padding` context on each side. */
  readonly patchSize?: number;
  readonly padding?: number;
}

async function photo(side: number): Promise<RgbaImage> {
  const bytes = new Uint8Array(await (await fetch(`/photo/${side}.rgba`)).arrayBuffer());
  return { width: side, height: side, data: bytes };
}

function rgbBase64(data: Uint8Array | Float32Array | Int32Array, channels: number): string {
  const n = data.length / channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++)
      out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(data[i * channels + c]!)));
  }
  let s = '';
  for (let i = 0; i < out.length; i += 0x8000)
    s += String.fromCharCode(...out.subarray(i, i + 0x8000));
  return btoa(s);
}

async function loupe(ep: 'wasm' | 'webgpu', side: number, { pixels = true }: CallOptions = {}) {
  const image = await photo(side);
  const parsed = parsePipeline([{ op: 'upscale', params: { model: 'slim', scale: 2 } }]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const t0 = performance.now();
  const { image: out, metadata } = await inference.run(image, parsed.value, { ep });
  const ms = performance.now() - t0;
  return {
    ms,
    ep: metadata.ep,
    fallback: metadata.fallback ?? null,
    width: out.width,
    rgb: pixels ? rgbBase64(out.data, 4) : '',
  };
}

async function upscalerjs(
  backend: 'wasm' | 'webgl',
  side: number,
  { pixels = true, patchSize, padding }: CallOptions = {},
) {
  await tf.setBackend(backend);
  let up = upscalers.get(backend);
  if (!up) {
    up = new Upscaler({
      model: { ...slim2, path: '/upscalerjs/esrgan-slim/models/x2/model.json' } as never,
    });
    await up.ready;
    upscalers.set(backend, up);
  }
  const image = await photo(side);
  const rgb = new Float32Array(side * side * 3);
  for (let i = 0; i < side * side; i++)
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * 4 + c]!;
  const input = tf.tensor3d(rgb, [side, side, 3]);
  const t0 = performance.now();
  const out = (await up.upscale(input, {
    output: 'tensor',
    ...(patchSize ? { patchSize, padding } : {}),
  })) as unknown as tf.Tensor3D;
  const values = await out.data();
  const ms = performance.now() - t0;
  const width = out.shape[1];
  input.dispose();
  out.dispose();
  return {
    ms,
    ep: tf.getBackend(),
    fallback: null,
    width,
    rgb: pixels ? rgbBase64(values as Float32Array, 3) : '',
  };
}

async function init() {
  setWasmPaths('/tfjs-wasm/');
  // tfjs-backend-wasm's threaded build dies in its pthread workers when bundled by Vite
  // ("e is not defined" from the blob: worker), so the peer runs its single-threaded SIMD build.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.ready();
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    webgpu: 'gpu' in navigator,
    device: await inference.probe(),
    tfjs: tf.version.tfjs,
  };
}

(window as unknown as { loupeBench: object }).loupeBench = { init, loupe, upscalerjs };
