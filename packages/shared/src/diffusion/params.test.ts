import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issuesFromZod } from '../ops/pipeline';
import { ImageToImageParams, InstructParams, resolveSeed, TextToImageParams } from './params';

/** The 400's field issues for one body: path and message, as the API reports them. */
function issues(schema: z.ZodType, body: unknown) {
  const r = schema.safeParse(body);
  if (r.success) throw new Error(`expected ${JSON.stringify(body)} to be refused`);
  return issuesFromZod(r.error);
}

describe('generative parameters', () => {
  it('fills the defaults and leaves seed, size and sampler to the run', () => {
    expect(TextToImageParams.parse({ prompt: 'a red fox' })).toEqual({
      prompt: 'a red fox',
      negativePrompt: '',
      steps: 28,
      guidance: 7.5,
      count: 1,
    });
    expect(ImageToImageParams.parse({ prompt: '' }).strength).toBe(0.8);
    expect(InstructParams.parse({ prompt: 'add a hat' }).imageGuidance).toBe(1.5);
  });

  it('accepts the edges of every range', () => {
    const edges = {
      prompt: 'x',
      seed: 2 ** 32 - 1,
      steps: 150,
      guidance: 30,
      width: 2048,
      height: 64,
      count: 8,
    };
    expect(TextToImageParams.parse(edges)).toMatchObject(edges);
    expect(TextToImageParams.parse({ prompt: 'x', seed: 0, steps: 1, guidance: 0 })).toMatchObject({
      seed: 0,
      steps: 1,
    });
    expect(ImageToImageParams.parse({ prompt: 'x', strength: 0 }).strength).toBe(0);
    expect(InstructParams.parse({ prompt: 'x', imageGuidance: 10 }).imageGuidance).toBe(10);
  });

  it.each([
    [{ seed: -1 }, 'seed', 'seed must be at least 0'],
    [{ seed: 2 ** 32 }, 'seed', 'seed must be at most 4294967295'],
    [{ seed: 1.5 }, 'seed', 'seed must be a whole number from 0 to 4294967295'],
    [{ steps: 0 }, 'steps', 'steps must be at least 1'],
    [{ steps: 151 }, 'steps', 'steps must be at most 150'],
    [{ guidance: 31 }, 'guidance', 'guidance must be at most 30'],
    [{ guidance: 'high' }, 'guidance', 'guidance must be a number from 0 to 30'],
    [{ width: 500 }, 'width', 'width must be a multiple of 8'],
    [{ height: 56 }, 'height', 'height must be at least 64'],
    [{ width: 2056 }, 'width', 'width must be at most 2048'],
    [{ count: 9 }, 'count', 'count must be at most 8'],
    [
      { scheduler: 'plms' },
      'scheduler',
      'scheduler must be one of euler, euler-ancestral, dpmpp-2m, ddim, lcm',
    ],
    [{ karras: 'yes' }, 'karras', 'karras must be true or false'],
    [{ prompt: 7 }, 'prompt', 'prompt must be text'],
    [
      { negativePrompt: 'x'.repeat(10_001) },
      'negativePrompt',
      'negativePrompt must be at most 10000 characters',
    ],
  ])('%j is refused at %s: "%s"', (field, path, message) => {
    expect(issues(TextToImageParams, { prompt: 'a', ...field })).toEqual([{ path, message }]);
  });

  it('refuses a missing prompt and out-of-range strength and image guidance, by name', () => {
    expect(issues(TextToImageParams, {})).toEqual([
      { path: 'prompt', message: 'prompt is required' },
    ]);
    expect(issues(ImageToImageParams, { prompt: 'a', strength: 1.1 })).toEqual([
      { path: 'strength', message: 'strength must be at most 1' },
    ]);
    expect(issues(InstructParams, { prompt: 'a', imageGuidance: -1 })).toEqual([
      { path: 'imageGuidance', message: 'imageGuidance must be at least 0' },
    ]);
  });

  it('allows Karras sigmas only for the samplers that define them', () => {
    expect(
      TextToImageParams.parse({ prompt: 'a', scheduler: 'dpmpp-2m', karras: true }).karras,
    ).toBe(true);
    expect(issues(TextToImageParams, { prompt: 'a', scheduler: 'ddim', karras: true })).toEqual([
      { path: 'karras', message: 'karras applies to Euler and DPM-Solver++ only, not DDIM' },
    ]);
  });

  it('publishes the ranges in the JSON Schema the parameter panel and OpenAPI read', () => {
    const schema = z.toJSONSchema(TextToImageParams, { io: 'input' }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.properties.steps).toMatchObject({
      minimum: 1,
      maximum: 150,
      default: 28,
      title: 'Steps',
    });
    expect(schema.properties.width).toMatchObject({ minimum: 64, maximum: 2048, multipleOf: 8 });
    expect(schema.properties.scheduler?.enum).toEqual([
      'euler',
      'euler-ancestral',
      'dpmpp-2m',
      'ddim',
      'lcm',
    ]);
  });

  it('keeps a given seed and draws one when omitted', () => {
    expect(resolveSeed(42)).toBe(42);
    const drawn = resolveSeed(undefined);
    expect(Number.isInteger(drawn) && drawn >= 0 && drawn < 2 ** 32).toBe(true);
  });
});
