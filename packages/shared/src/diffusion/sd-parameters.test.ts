import { describe, expect, it } from 'vitest';
import {
  formatSdParameters,
  parseSdParameters,
  type GenerationRecord,
  type RestoredParams,
} from './sd-parameters';

const record: GenerationRecord = {
  prompt: 'a red fox in the snow, 35mm',
  negativePrompt: 'blurry, lowres',
  steps: 28,
  guidance: 7.5,
  seed: 42,
  width: 512,
  height: 512,
  scheduler: 'dpmpp-2m',
  karras: true,
  model: { id: 'sd15', sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' },
};

/** What parsing should give back for a record: its Loupe parameters. */
function paramsOf(r: GenerationRecord): RestoredParams {
  return {
    prompt: r.prompt,
    negativePrompt: r.negativePrompt ?? '',
    steps: r.steps,
    guidance: r.guidance,
    seed: r.seed,
    width: r.width,
    height: r.height,
    scheduler: r.scheduler,
    ...(r.karras ? { karras: true } : {}),
    ...(r.strength === undefined ? {} : { strength: r.strength }),
    ...(r.imageGuidance === undefined ? {} : { imageGuidance: r.imageGuidance }),
  };
}

describe('formatSdParameters', () => {
  it('writes prompt, negative prompt and A1111’s settings line in its key order', () => {
    expect(formatSdParameters(record)).toBe(
      'a red fox in the snow, 35mm\n' +
        'Negative prompt: blurry, lowres\n' +
        'Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 42, Size: 512x512, ' +
        'Model hash: a1b2c3d4e5, Model: sd15',
    );
  });

  it('names each sampler as A1111 does, Karras as a suffix where A1111 had one', () => {
    const line = (r: Partial<GenerationRecord>) =>
      formatSdParameters({ ...record, model: undefined, negativePrompt: '', ...r }).split('\n')[1];
    expect(line({ scheduler: 'dpmpp-2m', karras: false })).toContain('Sampler: DPM++ 2M, CFG');
    expect(line({ scheduler: 'euler-ancestral', karras: false })).toContain('Sampler: Euler a, ');
    expect(line({ scheduler: 'euler', karras: true })).toContain(
      'Sampler: Euler, Schedule type: Karras, CFG scale',
    );
    expect(line({ scheduler: 'ddim', karras: false })).toContain('Sampler: DDIM, ');
    expect(line({ scheduler: 'lcm', karras: false })).toContain('Sampler: LCM, ');
  });

  it('adds img2img’s and instruct’s settings, extra ones, and quotes values that need it', () => {
    const text = formatSdParameters({
      ...record,
      negativePrompt: '',
      strength: 0.8,
      imageGuidance: 1.5,
      model: { id: 'my model: v2, pruned' },
      extra: { Version: 'Loupe 0.1.0', 'Mask blur': 4 },
    });
    expect(text).toBe(
      'a red fox in the snow, 35mm\n' +
        'Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Image CFG scale: 1.5, Seed: 42, ' +
        'Size: 512x512, Model: "my model: v2, pruned", Denoising strength: 0.8, ' +
        'Version: Loupe 0.1.0, Mask blur: 4',
    );
  });

  it('refuses an extra key A1111 could not read back or that hides one of Loupe’s', () => {
    expect(() => formatSdParameters({ ...record, extra: { 'Bad:key': 1 } })).toThrow(/Bad:key/);
    expect(() => formatSdParameters({ ...record, extra: { Seed: 1 } })).toThrow(/Seed/);
  });
});

describe('parseSdParameters round trip', () => {
  const records: GenerationRecord[] = [
    record,
    { ...record, negativePrompt: '', model: undefined },
    {
      ...record,
      prompt: 'first line of the prompt,\nsecond line: with a colon\n\nafter a blank line',
      negativePrompt: 'bad hands,\nextra fingers',
      scheduler: 'euler',
      karras: true,
      strength: 0.35,
    },
    {
      ...record,
      prompt: '夜の東京、ネオン — «café» ☕',
      negativePrompt: 'ぼやけた',
      scheduler: 'euler-ancestral',
      karras: false,
      imageGuidance: 1.25,
      seed: 4294967295,
      width: 2048,
      height: 64,
    },
    { ...record, prompt: '', negativePrompt: 'only a negative', scheduler: 'lcm', karras: false },
    { ...record, prompt: 'make it "winter", please', scheduler: 'ddim', karras: false, steps: 1 },
  ];

  it.each(records.map((r, i) => [i, r] as const))('record %i comes back as it was', (_, r) => {
    const parsed = parseSdParameters(formatSdParameters(r));
    expect(parsed.params).toEqual(paramsOf(r));
    expect(parsed.unmapped).toEqual([]);
    expect(parsed.model).toEqual(
      r.model
        ? { name: r.model.id, ...(r.model.sha256 ? { hash: r.model.sha256.slice(0, 10) } : {}) }
        : {},
    );
  });
});

describe('parseSdParameters on what A1111 writes', () => {
  it('reads a 1.6 txt2img text: multi-line prompt, weights, Karras suffix, clip skip kept', () => {
    const parsed = parseSdParameters(
      'masterpiece, best quality, 1girl, (blue eyes:1.2),\n' +
        'looking at viewer, <lora:add_detail:0.6>\n' +
        'Negative prompt: (worst quality, low quality:1.4), bad anatomy\n' +
        'Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 3837265519, Size: 512x768, ' +
        'Model hash: 6CE0161689, Model: v1-5-pruned-emaonly, Clip skip: 2, Version: v1.6.0',
    );
    expect(parsed.params).toEqual({
      prompt:
        'masterpiece, best quality, 1girl, (blue eyes:1.2),\nlooking at viewer, <lora:add_detail:0.6>',
      negativePrompt: '(worst quality, low quality:1.4), bad anatomy',
      steps: 20,
      scheduler: 'dpmpp-2m',
      karras: true,
      guidance: 7,
      seed: 3837265519,
      width: 512,
      height: 768,
    });
    expect(parsed.model).toEqual({ name: 'v1-5-pruned-emaonly', hash: '6ce0161689' });
    expect(parsed.unmapped).toEqual([
      { key: 'Clip skip', value: '2', reason: 'not a Loupe parameter' },
      { key: 'Version', value: 'v1.6.0', reason: 'not a Loupe parameter' },
    ]);
  });

  it('reads a 1.10 text: Schedule type, quoted values with commas and escapes, unknown keys', () => {
    const parsed = parseSdParameters(
      'a photo of an astronaut riding a horse on mars\n' +
        'Negative prompt: cartoon,\n' +
        'painting\n' +
        'Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5.5, Seed: 12345, ' +
        'Size: 768x512, Model hash: abcdef0123, Model: dreamshaper_8, ' +
        'Lora hashes: "add_detail: 7c6bad76eb54, epi_noise: 3bd6d8b1c4b6", ' +
        'ADetailer prompt: "a \\"smiling\\" face, detailed", Version: v1.10.1',
    );
    expect(parsed.params).toMatchObject({
      negativePrompt: 'cartoon,\npainting',
      scheduler: 'dpmpp-2m',
      karras: true,
      guidance: 5.5,
      width: 768,
      height: 512,
    });
    expect(parsed.settings['Lora hashes']).toBe(
      'add_detail: 7c6bad76eb54, epi_noise: 3bd6d8b1c4b6',
    );
    expect(parsed.settings['ADetailer prompt']).toBe('a "smiling" face, detailed');
    expect(parsed.unmapped.map((u) => u.key)).toEqual([
      'Lora hashes',
      'ADetailer prompt',
      'Version',
    ]);
  });

  it('reads img2img and InstructPix2Pix texts, and says what Loupe cannot take and why', () => {
    const img2img = parseSdParameters(
      'portrait of an old man, oil painting\n' +
        'Steps: 25, Sampler: DPM++ SDE Karras, CFG scale: 8, Seed: 99, Size: 640x644, ' +
        'Denoising strength: 0.45, Mask blur: 4, Hires upscaler: Latent',
    );
    expect(img2img.params).toEqual({
      prompt: 'portrait of an old man, oil painting',
      negativePrompt: '',
      steps: 25,
      guidance: 8,
      seed: 99,
      width: 640,
      strength: 0.45,
    });
    expect(img2img.unmapped).toEqual([
      {
        key: 'Sampler',
        value: 'DPM++ SDE Karras',
        reason: 'Loupe has no DPM++ SDE Karras sampler',
      },
      { key: 'Size', value: '640x644', reason: 'height must be a multiple of 8' },
      { key: 'Mask blur', value: '4', reason: 'not a Loupe parameter' },
      { key: 'Hires upscaler', value: 'Latent', reason: 'not a Loupe parameter' },
    ]);

    const instruct = parseSdParameters(
      'turn it into a winter scene\n' +
        'Steps: 200, Sampler: Euler a, CFG scale: 7.5, Image CFG scale: 1.5, Seed: 7, ' +
        'Size: 512x512, Model hash: fbc31a67aa, Model: instruct-pix2pix-00-22000',
    );
    expect(instruct.params).toMatchObject({ imageGuidance: 1.5, scheduler: 'euler-ancestral' });
    expect(instruct.params.steps).toBeUndefined();
    expect(instruct.unmapped).toEqual([
      { key: 'Steps', value: '200', reason: 'steps must be at most 150' },
    ]);
  });

  it('maps other schedule types and impossible Karras to unmapped, Automatic to nothing', () => {
    const withSchedule = (sampler: string, schedule: string) =>
      parseSdParameters(
        `p\nSteps: 9, Sampler: ${sampler}, Schedule type: ${schedule}, CFG scale: 3, Seed: 1`,
      );
    expect(withSchedule('Euler', 'Exponential').unmapped).toEqual([
      { key: 'Schedule type', value: 'Exponential', reason: 'Loupe has no Exponential schedule' },
    ]);
    expect(withSchedule('DDIM', 'Karras').unmapped[0]?.reason).toBe(
      'Karras sigmas do not apply to DDIM',
    );
    const automatic = withSchedule('Euler a', 'Automatic');
    expect(automatic.params.karras).toBeUndefined();
    expect(automatic.unmapped).toEqual([]);
    expect(parseSdParameters('p\nSteps: 9, Sampler: k_dpmpp_2m_ka, Seed: 3').params).toMatchObject({
      scheduler: 'dpmpp-2m',
      karras: true,
    });
  });

  it('takes a last line with fewer than three settings as prompt, as A1111 does', () => {
    const parsed = parseSdParameters('just a prompt\nSteps: 20, Seed: 5');
    expect(parsed.params).toEqual({
      prompt: 'just a prompt\nSteps: 20, Seed: 5',
      negativePrompt: '',
    });
    expect(parsed.settings).toEqual({});
    expect(parseSdParameters('').params).toEqual({ prompt: '', negativePrompt: '' });
  });
});
