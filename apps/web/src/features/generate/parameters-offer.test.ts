import { parseSdParameters, type DiffusionModelInfo } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { restoreInto } from './parameters-offer';

const folder = (id: string, sha256: string) => ({ id, sha256 }) as DiffusionModelInfo;
const folders = [folder('tiny', '1'.repeat(64)), folder('sd15', 'abcdef0123'.padEnd(64, '0'))];
const text =
  'a lighthouse\nNegative prompt: fog\nSteps: 2, Sampler: Euler a, CFG scale: 6, Seed: 1234, Size: 64x96, Model hash: abcdef0123, Model: renamed, Clip skip: 2';

describe('restoring dropped parameters', () => {
  it('fills text to image from an op without a prompt, matching the model by its hash', () => {
    const r = restoreInto(parseSdParameters(text), 'upscale', { model: 'slim', scale: 2 }, folders);
    expect(r.op).toBe('generate');
    expect(r.params).toEqual({
      model: 'sd15',
      prompt: 'a lighthouse',
      negativePrompt: 'fog',
      steps: 2,
      guidance: 6,
      seed: 1234,
      width: 64,
      height: 96,
      scheduler: 'euler-ancestral',
      count: 1,
    });
    expect(r.notes).toEqual(['Clip skip 2: not a Loupe parameter']);
  });

  it("keeps the prompt op shown, only the fields it has, and says when the model isn't here", () => {
    const other = text.replace('Model hash: abcdef0123, ', '');
    const r = restoreInto(
      parseSdParameters(other),
      'img2img',
      { model: 'tiny', prompt: 'x' },
      folders,
    );
    expect(r.op).toBe('img2img');
    expect(r.params.model).toBe('tiny');
    expect(r.params.seed).toBe(1234);
    // Image to image runs at the picture's size: it has no width or height to take.
    expect(r.params).not.toHaveProperty('width');
    expect(r.notes[0]).toBe('Model renamed is not configured here; tiny is kept');
  });
});
