import { describe, expect, it } from 'vitest';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import { parsePipeline, type Step } from '../../ops/pipeline';
import { planPipeline } from '../execute';
import { guidanceEmbedding } from './guidance-embedding';
import { latentPreview } from './latent-preview';
import { blurMask, compositeMasked, paddedSize } from './pixels';
import { resolveGenerationParams } from './resolve';

// Only what resolving reads; the rest of a folder's description does not enter.
const folder = (over: Partial<DiffusionModelInfo>) =>
  ({
    id: 'sd',
    kind: 'stable-diffusion',
    capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
    nativeSize: { width: 512, height: 768, source: 'unet-config' },
    scheduler: { className: 'EulerDiscreteScheduler', predictionType: 'epsilon' },
    ...over,
  }) as DiffusionModelInfo;

function parsed(op: Step['op'], params: Record<string, unknown>): Step {
  const r = parsePipeline([{ op, params: { model: 'sd', prompt: 'a fox', ...params } }]);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value[0]!;
}

describe('resolveGenerationParams', () => {
  it("fills the native size, a seed and the folder's sampler, keeping what was asked", () => {
    const resolved = resolveGenerationParams(parsed('generate', { width: 640 }), folder({}));
    expect(resolved.params).toMatchObject({ width: 640, height: 768, scheduler: 'euler' });
    const seed = (resolved.params as { seed: number }).seed;
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    const kept = resolveGenerationParams(
      parsed('generate', { seed: 5, scheduler: 'ddim' }),
      folder({}),
    );
    expect(kept.params).toMatchObject({ seed: 5, scheduler: 'ddim', width: 512 });
    const lcm = folder({ scheduler: { className: 'LCMScheduler', predictionType: 'epsilon' } });
    expect(resolveGenerationParams(parsed('img2img', {}), lcm).params).toMatchObject({
      scheduler: 'lcm',
    });
    const invert: Step = { op: 'invert', params: {} };
    expect(resolveGenerationParams(invert, folder({}))).toBe(invert);
  });

  it('refuses a folder that cannot do the op, naming model', () => {
    const inpainting = folder({ kind: 'inpainting', capabilities: ['inpaint'] });
    expect(() => resolveGenerationParams(parsed('generate', {}), inpainting)).toThrow(
      /model: sd \(inpainting\) cannot run generate; it can do inpaint/,
    );
    expect(resolveGenerationParams(parsed('inpaint', {}), folder({})).op).toBe('inpaint');
  });
});

describe('planning a generative step', () => {
  const plan = (step: Step, size = { width: 64, height: 64 }) => planPipeline([step], size)[0]!;
  const resolved = (op: Step['op'], params: Record<string, unknown>) =>
    resolveGenerationParams(parsed(op, { seed: 1, ...params }), folder({}));

  it('counts the steps that run, times count: strength cuts them as diffusers does, LCM does not', () => {
    expect(plan(resolved('generate', { steps: 20, count: 3 }))).toMatchObject({
      tiles: 60,
      output: { width: 512, height: 768 },
    });
    expect(plan(resolved('img2img', { steps: 10, strength: 0.45 })).tiles).toBe(4);
    expect(plan(resolved('img2img', { steps: 10, strength: 0 })).tiles).toBe(0);
    expect(plan(resolved('img2img', { steps: 4, strength: 0.5, scheduler: 'lcm' })).tiles).toBe(4);
    expect(plan(resolved('inpaint', { steps: 10 }), { width: 30, height: 20 })).toMatchObject({
      tiles: 10,
      output: { width: 30, height: 20 },
    });
  });

  it('refuses an unresolved size, generate after another step, count > 1 before the last step', () => {
    expect(() => plan(parsed('generate', {}))).toThrow(/width must be set before the run/);
    const gen = resolved('generate', { count: 2 });
    expect(() =>
      planPipeline([{ op: 'invert', params: {} }, gen], { width: 8, height: 8 }),
    ).toThrow(/steps\.1 generate makes a new picture: it must be the first step/);
    expect(() =>
      planPipeline([gen, { op: 'invert', params: {} }], { width: 0, height: 0 }),
    ).toThrow(/steps\.0\.params\.count above 1 only on the last step/);
  });
});

describe('mask blur and compositing', () => {
  const mask = {
    width: 20,
    height: 1,
    data: Uint8Array.from({ length: 20 }, (_, i) => (i < 10 ? 255 : 0)),
  };

  it('feathers within 3·⌈r/3⌉ pixels and keeps the rest: 0 far outside, 255 far inside', () => {
    expect(blurMask(mask, 0)).toBe(mask);
    const soft = blurMask(mask, 3).data;
    expect([...soft.subarray(0, 7)]).toEqual([255, 255, 255, 255, 255, 255, 255]);
    expect([...soft.subarray(13)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(soft[9]! > soft[10]! && soft[9]! < 255 && soft[10]! > 0).toBe(true);
    // Symmetric about the edge between pixels 9 and 10.
    for (let k = 0; k < 3; k++) expect(soft[9 - k]! + soft[10 + k]!).toBeGreaterThanOrEqual(254);
  });

  it('takes the input byte for byte where the mask is 0 and the generated pixels where it is 255', () => {
    const input = {
      width: 3,
      height: 1,
      data: Uint8Array.of(10, 20, 30, 255, 10, 20, 30, 255, 10, 20, 30, 128),
    };
    const made = {
      width: 3,
      height: 1,
      data: Uint8Array.of(200, 100, 0, 255, 200, 100, 0, 255, 200, 100, 0, 255),
    };
    const out = compositeMasked(input, made, {
      width: 3,
      height: 1,
      data: Uint8Array.of(0, 255, 128),
    });
    expect([...out.data]).toEqual([10, 20, 30, 255, 200, 100, 0, 255, 105, 60, 15, 128]);
  });

  it('pads a run size up to the multiple', () => {
    expect(paddedSize({ width: 58, height: 64 }, 64)).toEqual({ width: 64, height: 64 });
    expect(paddedSize({ width: 65, height: 1 }, 8)).toEqual({ width: 72, height: 8 });
  });
});

describe('latent previews and LCM guidance', () => {
  it('maps latent channels to RGB by the published factors, one pixel per latent pixel', () => {
    // Two latent pixels: all zero (mid-grey), and channel 0 at 1 (its row of factors).
    const latent = Float32Array.of(0, 1, 0, 0, 0, 0, 0, 0);
    const img = latentPreview(latent, 2, 1);
    expect([img.width, img.height]).toEqual([2, 1]);
    const byte = (v: number) => Math.floor(((v + 1) / 2) * 255 + 0.5);
    expect([...img.data]).toEqual([
      128,
      128,
      128,
      255,
      byte(0.3512),
      byte(0.2297),
      byte(0.3227),
      255,
    ]);
  });

  it("is diffusers' sinusoidal embedding of (guidance − 1)·1000", () => {
    const e = guidanceEmbedding(8.5, 256);
    expect(e[0]).toBeCloseTo(Math.sin(7500), 5);
    expect(e[128]).toBeCloseTo(Math.cos(7500), 5);
    // Frequency k = 127 is 1/10000: angle 0.75.
    expect(e[127]).toBeCloseTo(Math.sin(0.75), 5);
    const odd = guidanceEmbedding(2, 7);
    expect(odd[6]).toBe(0);
    expect(odd[3]).toBeCloseTo(Math.cos(1000), 4);
  });
});
