import type { ModelId } from '../../models/model-ids';
import { MODELS } from '../../models/model-specs';
import type { AbortSignalLike, ModelRunner, TensorData } from '../model-runner';

/**
 * A ModelRunner for engine tests that computes, in plain TypeScript, a simple stand-in for
 * each model family on the real tensors the engine builds:
 * - esrgan: nearest-neighbour upsample by the model's scale;
 * - anime4k: 3×3 box mean (edge-clamped), then nearest upsample by the scale;
 * - isnet: mask = red byte / 255 (so a test controls the matte through the red channel);
 * - filter-color-matrix, filter-blur, filter-sharpen: the graphs' documented formulas;
 *   filter-adjust: exposure only (out = c·2^exposure, clamped);
 * - maxim: a globally-aware stand-in, out = v·(0.8 + 0.4·m) + 0.2·(m − 0.5) per channel, m the
 *   channel's mean over the whole tile, so two tiles of one picture answer differently.
 * It records every call so tests can count tiles and check shapes.
 */
export class MathRunner implements ModelRunner {
  readonly calls: { model: ModelId; dims: Record<string, readonly number[]> }[] = [];

  constructor(
    private readonly hooks: {
      /** Runs after the call is recorded, before computing (e.g. to abort or fail). */
      onCall?: (n: number, model: ModelId) => void;
      /** Replaces the result, e.g. with a wrong shape. */
      override?: (model: ModelId) => Record<string, TensorData> | undefined;
    } = {},
  ) {}

  async run(
    model: ModelId,
    feeds: Readonly<Record<string, TensorData>>,
    _signal?: AbortSignalLike,
  ) {
    this.calls.push({
      model,
      dims: Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, [...v.dims]])),
    });
    this.hooks.onCall?.(this.calls.length, model);
    const replaced = this.hooks.override?.(model);
    if (replaced) return replaced;
    const spec = MODELS[model];
    const input = feeds[spec.input.name]!;
    const param = (name: string) => feeds[name]!.data;
    let output: TensorData;
    if (spec.family === 'esrgan') output = upsample(input, spec.scale);
    else if (spec.family === 'anime4k')
      output = upsample(convolve(input, [1 / 3, 1 / 3, 1 / 3], 3), spec.scale);
    else if (spec.family === 'isnet') output = redAsMask(input);
    else if (spec.family === 'maxim') output = tileGlobalTone(input);
    else if (model === 'filter-color-matrix') output = colorMatrix(input, param('matrix'));
    else if (model === 'filter-adjust') output = mapRgb(input, (v) => v * 2 ** param('params')[0]!);
    else if (model === 'filter-blur') output = clampAll(convolve(input, param('kernel'), 4));
    else output = sharpen(input, param('kernel'), param('amount')[0]!);
    return { [spec.output.name]: output };
  }

  modelsCalled(): ModelId[] {
    return this.calls.map((c) => c.model);
  }
}

function shape(t: TensorData) {
  const [, c = 0, h = 0, w = 0] = t.dims;
  return { c, h, w, plane: h * w };
}

function upsample(t: TensorData, s: number): TensorData {
  const { c, h, w, plane } = shape(t);
  const out = new Float32Array(c * plane * s * s);
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < h * s; y++) {
      for (let x = 0; x < w * s; x++) {
        out[k * plane * s * s + y * w * s + x] =
          t.data[k * plane + Math.floor(y / s) * w + Math.floor(x / s)]!;
      }
    }
  }
  return { data: out, dims: [1, c, h * s, w * s] };
}

/** Separable convolution of the first `channels` planes, edge-replicated; others copied. */
function convolve(t: TensorData, taps: ArrayLike<number>, channels: number): TensorData {
  const { c, h, w, plane } = shape(t);
  const half = (taps.length - 1) / 2;
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  const out = Float32Array.from(t.data);
  const tmp = new Float64Array(plane);
  for (let k = 0; k < Math.min(c, channels); k++) {
    const base = k * plane;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let i = 0; i < taps.length; i++)
          sum += taps[i]! * t.data[base + y * w + clamp(x + i - half, w - 1)]!;
        tmp[y * w + x] = sum;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let i = 0; i < taps.length; i++)
          sum += taps[i]! * tmp[clamp(y + i - half, h - 1) * w + x]!;
        out[base + y * w + x] = sum;
      }
    }
  }
  return { data: out, dims: t.dims };
}

const clamp255 = (v: number) => Math.min(255, Math.max(0, v));

function clampAll(t: TensorData): TensorData {
  return { data: t.data.map(clamp255), dims: t.dims };
}

function mapRgb(t: TensorData, fn: (v: number, channel: number, i: number) => number): TensorData {
  const { plane } = shape(t);
  const out = Float32Array.from(t.data);
  for (let k = 0; k < 3; k++)
    for (let i = 0; i < plane; i++) out[k * plane + i] = clamp255(fn(t.data[k * plane + i]!, k, i));
  return { data: out, dims: t.dims };
}

function colorMatrix(t: TensorData, m: Float32Array): TensorData {
  const { plane } = shape(t);
  const d = t.data;
  return mapRgb(
    t,
    (_, k, i) =>
      m[4 * k]! * d[i]! +
      m[4 * k + 1]! * d[plane + i]! +
      m[4 * k + 2]! * d[2 * plane + i]! +
      m[4 * k + 3]!,
  );
}

function sharpen(t: TensorData, kernel: Float32Array, amount: number): TensorData {
  const blurred = convolve(t, kernel, 3).data;
  const { plane } = shape(t);
  return mapRgb(t, (v, k, i) => v + amount * (v - blurred[k * plane + i]!));
}

function tileGlobalTone(t: TensorData): TensorData {
  const { c, plane } = shape(t);
  const out = new Float32Array(t.data.length);
  for (let k = 0; k < c; k++) {
    let sum = 0;
    for (let i = 0; i < plane; i++) sum += t.data[k * plane + i]!;
    const m = sum / plane;
    for (let i = 0; i < plane; i++)
      out[k * plane + i] = t.data[k * plane + i]! * (0.8 + 0.4 * m) + 0.2 * (m - 0.5);
  }
  return { data: out, dims: t.dims };
}

function redAsMask(t: TensorData): TensorData {
  const { h, w, plane } = shape(t);
  // Input is (byte − 128) / 256; the mask port is UNIT_RANGE (0..1).
  const data = new Float32Array(plane);
  for (let i = 0; i < plane; i++) data[i] = (t.data[i]! * 256 + 128) / 255;
  return { data, dims: [1, 1, h, w] };
}
