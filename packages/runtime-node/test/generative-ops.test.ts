import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeStep,
  parsePipeline,
  resolveGenerationParams,
  type DiffusionAssets,
  type ExecuteOptions,
  type ExecuteResult,
  type Mask,
  type RgbaImage,
  type StepInput,
} from '@loupe/shared';
import { DiffusionSessions, SessionCache, SessionRunner, readDiffusionAssets } from '../src';
import { inspectDiffusionFolder } from '../src/diffusion';
// The generator that writes the fixtures lives with the other model tools.
import {
  tinyPipelineFixtures,
  type TinyPipelineFixtures,
} from '../../../tools/models/src/diffusion/fixtures';
import type { TinyPipelineId } from '../../../tools/models/src/diffusion/tiny-pipelines';

let fixtures: TinyPipelineFixtures;
let sessions: DiffusionSessions;
let runner: SessionRunner;
const assets = new Map<string, Promise<DiffusionAssets>>();

function assetsOf(id: string): Promise<DiffusionAssets> {
  let a = assets.get(id);
  if (!a) {
    const dir = fixtures.path(id as TinyPipelineId);
    a = inspectDiffusionFolder(dir).then((folder) => {
      if (folder.status !== 'ready') throw new Error(`${id}: ${folder.problem}`);
      return readDiffusionAssets(dir, folder);
    });
    assets.set(id, a);
  }
  return a;
}

beforeAll(() => {
  fixtures = tinyPipelineFixtures();
  sessions = new DiffusionSessions((id) => fixtures.path(id as TinyPipelineId));
  runner = new SessionRunner(
    new SessionCache(() => {
      throw new Error('no built-in models in this test');
    }),
    sessions,
  );
});
afterAll(() => sessions.close());

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
