import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeStep,
  parsePipeline,
  resolveGenerationParams,
  type ExecuteOptions,
  type ExecuteResult,
  type Mask,
  type Progress,
  type RgbaImage,
  type StepInput,
} from '@loupe/shared';
import { DiffusionSessions, SessionCache, SessionRunner } from '../src';
import { useTinyDiffusion } from './support/tiny-diffusion';
// The generator that writes the fixtures lives with the other model tools.
import type { TinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import type { TinyPipelineId } from '../../../tools/models/src/diffusion/tiny-pipelines';

const tiny = useTinyDiffusion();
const assetsOf = (id: string) => tiny.assetsOf(id);
let fixtures: TinyPipelineFixtures;
let sessions: DiffusionSessions;
let runner: SessionRunner;
beforeAll(() => ({ fixtures, sessions, runner } = tiny));

/** A step as a request would carry it, validated and resolved as the host does before queueing. */
async function step(op: StepInput['op'], model: string, params: Record<string, unknown>) {
  const parsed = parsePipeline([
    { op, params: { model, prompt: 'a red fox', steps: 3, ...params } },
  ]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return resolveGenerationParams(parsed.value[0]!, (await assetsOf(model)).info);
}

async function run(
  op: StepInput['op'],
  model: TinyPipelineId,
  params: Record<string, unknown> = {},
  image: RgbaImage | null = null,
  options: Partial<ExecuteOptions> = {},
): Promise<ExecuteResult> {
  return executeStep(image, await step(op, model, params), {
    runner,
    diffusionAssets: assetsOf,
    ...options,
  });
}

/** A picture with structure (gradients and a disc), opaque. */
function picture(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 4) ** 2;
      data.set([(x * 255) / width, (y * 255) / height, disc ? 220 : 30, 255], i);
    }
  return { width, height, data };
}

/** Repaint the left half, a soft edge of a few pixels. */
function leftHalf(width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.fill(255, y * width, y * width + width / 2);
  return { width, height, data };
}

const sameBytes = (a: RgbaImage, b: RgbaImage) => Buffer.compare(a.data, b.data) === 0;

function expectPicture(result: ExecuteResult, width: number, height: number) {
  expect([result.image.width, result.image.height]).toEqual([width, height]);
  expect(result.image.data).toHaveLength(width * height * 4);
  // Random weights make noise, but noise with spread: not one flat colour.
  expect(new Set(result.image.data).size).toBeGreaterThan(8);
}

// Text to image on every folder whose UNet takes plain latents (the diffusers script's folders
// default to SD 2's 768², so they are asked for 64²).
const TEXT_TO_IMAGE: TinyPipelineId[] = [
  'optimum-fp32',
  'optimum-fp16',
  'optimum-external-data',
  'optimum-lcm',
  'optimum-no-vae-encoder',
  'diffusers-script-fp32',
  'diffusers-script-fp16',
];
const WITH_VAE_ENCODER = TEXT_TO_IMAGE.filter((id) => id !== 'optimum-no-vae-encoder');
const small = (id: TinyPipelineId) =>
  id.startsWith('diffusers-script') ? { width: 64, height: 64 } : {};
const timings: Record<string, number> = {};
const timed = async <T>(label: string, f: () => Promise<T>) => {
  const started = performance.now();
  const out = await f();
  timings[label] = Math.round(performance.now() - started);
  return out;
};
afterAll(() => console.log('tiny-pipeline runs (ms)', JSON.stringify(timings)));

describe('every generative op on every folder that can run it', () => {
  it.each(TEXT_TO_IMAGE)('generate on %s', async (id) => {
    const result = await timed(`generate ${id}`, () =>
      run('generate', id, { seed: 7, ...small(id) }),
    );
    expectPicture(result, 64, 64);
    const info = (await assetsOf(id)).info;
    expect(result.generation).toMatchObject({ model: id, modelSha256: info.sha256, seeds: [7] });
    expect(result.images).toHaveLength(1);
  });

  it('generate at the native size when none is asked for, and at another size when asked', async () => {
    expectPicture(await run('generate', 'optimum-fp32', { seed: 1 }), 64, 64);
    expectPicture(
      await run('generate', 'optimum-fp32', { seed: 1, width: 80, height: 64 }),
      80,
      64,
    );
  });

  it.each(WITH_VAE_ENCODER)(
    'img2img on %s, at an input size that is not a multiple of 8',
    async (id) => {
      const input = picture(58, 44);
      const result = await timed(`img2img ${id}`, () =>
        run('img2img', id, { seed: 3, strength: 0.7 }, input),
      );
      expectPicture(result, 58, 44);
      // It ran padded to 64² (the UNet's three halvings) and came back at its own size.
      expect(result.generation).toMatchObject({ width: 64, height: 64, strength: 0.7 });
    },
  );

  it('instruct on optimum-instruct (8-channel UNet, three-way guidance)', async () => {
    const input = picture(64, 64);
    const result = await timed('instruct optimum-instruct', () =>
      run('instruct', 'optimum-instruct', { seed: 5, prompt: 'make it snow' }, input),
    );
    expectPicture(result, 64, 64);
    expect(result.generation).toMatchObject({ imageGuidance: 1.5, scheduler: 'euler-ancestral' });
    // Image guidance changes the result: it is a guidance term, not ignored.
    const other = await run(
      'instruct',
      'optimum-instruct',
      { seed: 5, prompt: 'make it snow', imageGuidance: 4 },
      input,
    );
    expect(sameBytes(result.image, other.image)).toBe(false);
  });

  it.each(['optimum-inpaint', ...WITH_VAE_ENCODER] as TinyPipelineId[])(
    'inpaint on %s leaves every pixel outside the (blurred) mask as it was',
    async (id) => {
      const input = picture(64, 48);
      const mask = leftHalf(64, 48);
      const result = await timed(`inpaint ${id}`, () =>
        run('inpaint', id, { seed: 9, maskBlur: 4 }, input, { mask }),
      );
      expectPicture(result, 64, 48);
      let changedInside = 0;
      for (let y = 0; y < 48; y++)
        for (let x = 0; x < 64; x++) {
          const i = 4 * (y * 64 + x);
          const same = [0, 1, 2, 3].every((c) => result.image.data[i + c] === input.data[i + c]);
          // The blur reaches 3·⌈4/3⌉ = 6 px past the mask's edge at x = 32.
          if (x >= 38) expect(same, `pixel ${x},${y}`).toBe(true);
          if (x < 26 && !same) changedInside++;
        }
      expect(changedInside).toBeGreaterThan(26 * 48 * 0.5);
    },
  );
});

describe('generate', () => {
  it('makes a picture of the native size on optimum-fp32', async () => {
    const started = performance.now();
    const result = await run('generate', 'optimum-fp32', { seed: 1 });
    console.log('generate ms', performance.now() - started);
    expect([result.image.width, result.image.height]).toEqual([64, 64]);
    expect(result.generation?.seeds).toEqual([1]);
    expect(result.generation?.steps).toBe(3);
  });
});

describe('seeds', () => {
  it('gives the same bytes for the same seed and different ones for another', async () => {
    const a = await run('generate', 'optimum-fp32', { seed: 11 });
    const b = await run('generate', 'optimum-fp32', { seed: 11 });
    const c = await run('generate', 'optimum-fp32', { seed: 12 });
    expect(sameBytes(a.image, b.image)).toBe(true);
    expect(sameBytes(a.image, c.image)).toBe(false);
    const input = picture(64, 64);
    const i1 = await run('img2img', 'optimum-fp16', { seed: 4 }, input);
    const i2 = await run('img2img', 'optimum-fp16', { seed: 4 }, input);
    expect(sameBytes(i1.image, i2.image)).toBe(true);
    expect(i1.generation!.reproducible).toBe(true);
  });

  it('says when a folder samples its VAE latent inside the graph, where no seed reaches', async () => {
    // The diffusers script's vae_encoder draws with RandomNormalLike (its own generator, advanced
    // every run); text to image never runs it.
    const input = picture(64, 64);
    const encoded = await run('img2img', 'diffusers-script-fp32', { seed: 4 }, input);
    expect(encoded.generation!.reproducible).toBe(false);
    const a = await run('generate', 'diffusers-script-fp32', { seed: 4, width: 64, height: 64 });
    const b = await run('generate', 'diffusers-script-fp32', { seed: 4, width: 64, height: 64 });
    expect(a.generation!.reproducible).toBe(true);
    expect(sameBytes(a.image, b.image)).toBe(true);
  });

  it('draws a seed when none is given and reports it: rerun with it, the same picture', async () => {
    const drawn = await run('generate', 'optimum-fp32', {});
    const [seed] = drawn.generation!.seeds;
    expect(Number.isInteger(seed)).toBe(true);
    const again = await run('generate', 'optimum-fp32', { seed });
    expect(sameBytes(drawn.image, again.image)).toBe(true);
  });

  it('makes count images from seeds s, s+1, s+2, each the picture a single run with its seed makes', async () => {
    const seed = 0xfffffffe; // wraps past 2³² − 1
    const three = await run('generate', 'optimum-fp32', { seed, count: 3 });
    expect(three.generation!.seeds).toEqual([0xfffffffe, 0xffffffff, 0]);
    expect(three.images).toHaveLength(3);
    expect(three.images![0]).toBe(three.image);
    for (const [k, s] of three.generation!.seeds.entries()) {
      const one = await run('generate', 'optimum-fp32', { seed: s });
      expect(sameBytes(three.images![k]!, one.image), `image ${k}`).toBe(true);
    }
    expect(sameBytes(three.images![0]!, three.images![1]!)).toBe(false);
  });
});

describe('progress, previews and cancel', () => {
  it('reports every step in order with an ETA, the total exact for count and strength', async () => {
    const events: Progress[] = [];
    const input = picture(64, 64);
    // 10 steps at strength 0.45 run ⌊4.5⌋ = 4 per image, 8 for two images.
    const result = await run(
      'img2img',
      'optimum-fp32',
      { seed: 2, steps: 10, strength: 0.45, count: 2 },
      input,
      { onProgress: (p) => events.push(p) },
    );
    expect(result.tiles).toBe(8);
    expect(result.generation!.steps).toBe(4);
    expect(events.map((e) => e.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.every((e) => e.total === 8 && e.unit === 'step')).toBe(true);
    expect(events.at(-1)!.stage).toBe('img2img 8/8 steps');
    expect(events.slice(1).every((e) => e.etaMs !== undefined && e.etaMs >= 0)).toBe(true);
    expect(events.at(-1)!.etaMs).toBe(0);
  });

  it('previews every N steps at latent size, each one different', async () => {
    const previews: { step: number; total: number; image: RgbaImage }[] = [];
    await run('generate', 'optimum-fp32', { seed: 3, steps: 6 }, null, {
      previewEvery: 2,
      onPreview: (step, total, image) => previews.push({ step, total, image }),
    });
    expect(previews.map((p) => [p.step, p.total])).toEqual([
      [2, 6],
      [4, 6],
      [6, 6],
    ]);
    for (const p of previews) expect([p.image.width, p.image.height]).toEqual([8, 8]);
    expect(sameBytes(previews[0]!.image, previews[1]!.image)).toBe(false);
    expect(sameBytes(previews[1]!.image, previews[2]!.image)).toBe(false);
  });

  it('stops within one step of a cancel: CANCELLED, and no step after it', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    const error = await run('generate', 'optimum-fp32', { seed: 3, steps: 8 }, null, {
      signal: controller.signal,
      onProgress: (p) => {
        done.push(p.done);
        if (p.done === 3) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(done.at(-1)).toBe(3);
  });
});

describe('img2img at strength 0', () => {
  it('returns the input as it was, with no model run (a VAE round trip would blur it)', async () => {
    const input = picture(64, 64);
    const before = sessions.snapshot().filter((s) => s.model === 'optimum-external-data');
    const result = await run('img2img', 'optimum-external-data', { seed: 1, strength: 0 }, input);
    expect(sameBytes(result.image, input)).toBe(true);
    expect(result.tiles).toBe(0);
    expect(result.generation!.steps).toBe(0);
    const after = sessions.snapshot().filter((s) => s.model === 'optimum-external-data');
    expect(after).toEqual(before);
  });
});

describe('bad requests', () => {
  const issue = async (op: StepInput['op'], params: Record<string, unknown>) => {
    const parsed = parsePipeline([{ op, params }]);
    return parsed.ok ? [] : parsed.issues.map((i) => i.path);
  };

  it('names the field at fault', async () => {
    expect(await issue('generate', { model: 'optimum-fp32' })).toEqual(['steps.0.params.prompt']);
    expect(await issue('generate', { model: '', prompt: 'x' })).toEqual(['steps.0.params.model']);
    // 60 is both under 64 and not a multiple of 8: two messages, one field.
    expect(new Set(await issue('generate', { model: 'm', prompt: 'x', width: 60 }))).toEqual(
      new Set(['steps.0.params.width']),
    );
    expect(await issue('img2img', { model: 'm', prompt: 'x', strength: 2 })).toEqual([
      'steps.0.params.strength',
    ]);
    expect(await issue('img2img', { model: 'm', prompt: 'x', width: 64 })).toEqual([
      'steps.0.params.width',
    ]);
    expect(await issue('inpaint', { model: 'm', prompt: 'x', maskBlur: -1 })).toEqual([
      'steps.0.params.maskBlur',
    ]);
    expect(
      await issue('generate', { model: 'm', prompt: 'x', scheduler: 'ddim', karras: true }),
    ).toEqual(['steps.0.params.karras']);
  });

  it('refuses a folder that cannot run the op, a missing mask, a tiny picture, a missing image', async () => {
    await expect(step('generate', 'optimum-inpaint', {})).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      fields: [{ path: 'model' }],
    });
    await expect(step('img2img', 'optimum-no-vae-encoder', {})).rejects.toMatchObject({
      fields: [{ path: 'model' }],
    });
    await expect(run('inpaint', 'optimum-fp32', { seed: 1 }, picture(64, 64))).rejects.toThrow(
      /needs a mask/,
    );
    await expect(run('img2img', 'optimum-fp32', { seed: 1 }, picture(8, 64))).rejects.toThrow(
      /params\.image is 8×64/,
    );
    await expect(run('img2img', 'optimum-fp32', { seed: 1 }, null)).rejects.toThrow(
      /img2img needs an image/,
    );
    await expect(
      run('generate', 'optimum-lcm', { seed: 1, steps: 60, scheduler: 'lcm' }),
    ).rejects.toThrow(/steps: LCM takes at most original_inference_steps \(50\)/);
  });
});

describe('DiffusionSessions', () => {
  it('opens parts lazily, once each, and counts offloads, reloads and releases per part', async () => {
    let now = 1000;
    const pool = new DiffusionSessions((id) => fixtures.path(id as TinyPipelineId), {
      now: () => now,
    });
    const parts = () =>
      Object.fromEntries(pool.snapshot().map((s) => [s.part, [s.residency, s.counters]]));
    const local = new SessionRunner(
      new SessionCache(() => {
        throw new Error('no built-in models in this test');
      }),
      pool,
    );
    const s = await step('generate', 'optimum-lcm', { seed: 1, steps: 2 });
    await executeStep(null, s, { runner: local, diffusionAssets: assetsOf });
    // Text to image never opens the VAE encoder; each used part opened once for all its calls.
    const once = { loads: 1, offloads: 0, reloads: 0, releases: 0 };
    expect(parts()).toEqual({
      text_encoder: ['device', once],
      unet: ['device', once],
      vae_decoder: ['device', once],
    });
    expect(pool.snapshot().every((p) => p.lastLoadMs !== null && p.inUse === 0)).toBe(true);
    now += 5000;
    expect(await pool.offloadIdle(10_000)).toEqual([]);
    expect(await pool.offloadIdle(5000)).toEqual(['optimum-lcm']);
    expect(parts().unet).toEqual(['unloaded', { ...once, offloads: 1 }]);
    await executeStep(null, s, { runner: local, diffusionAssets: assetsOf });
    expect(parts().unet).toEqual(['device', { ...once, offloads: 1, reloads: 1 }]);
    expect(await pool.apply('release', ['optimum-lcm'])).toEqual({
      affected: ['optimum-lcm'],
      skippedInUse: [],
    });
    expect(parts().unet).toEqual(['unloaded', { loads: 1, offloads: 1, reloads: 1, releases: 1 }]);
    await expect(
      executeStep(null, await step('generate', 'optimum-fp32', {}), {
        runner: new SessionRunner(
          new SessionCache(() => {
            throw new Error('unused');
          }),
          new DiffusionSessions(() => undefined),
        ),
        diffusionAssets: assetsOf,
      }),
    ).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: "There is no diffusion model 'optimum-fp32'",
    });
  });
});
