import { parseSdParameters, readPngText, type EditMetadata } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { encodeImage } from '../download/encode';
import { parametersText } from './parameters-text';

const metadata: EditMetadata = {
  steps: [{ op: 'generate', params: { model: 'sd15', prompt: 'a red fox, in snow' } }],
  models: [],
  placement: 'server',
  ep: 'cpu',
  device: 'cpu',
  timings: { queueMs: 0, decodeMs: 0, inferMs: 1, encodeMs: 0, totalMs: 1 },
  tiles: 0,
  input: { width: 0, height: 0 },
  output: { width: 64, height: 72 },
  generation: {
    model: 'sd15',
    modelSha256: 'abcdef0123456789'.repeat(4),
    seeds: [42, 43],
    steps: 20,
    requestedSteps: 20,
    scheduler: 'dpmpp-2m',
    karras: true,
    guidance: 7,
    width: 64,
    height: 72,
    prompt: 'a red fox, in snow',
    negativePrompt: 'blurry',
    reproducible: true,
    droppedTokens: { prompt: 0, negativePrompt: 0 },
  },
};

describe('parameters that travel', () => {
  it('are written as the SD tools write them, from what the run reports', () => {
    expect(parametersText(metadata)).toBe(
      'a red fox, in snow\nNegative prompt: blurry\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 42, Size: 64x72, Model hash: abcdef0123, Model: sd15',
    );
    // Image k of a run of several has its own seed.
    expect(parametersText(metadata, 1)).toContain('Seed: 43');
    const { generation: _g, ...plain } = metadata;
    expect(parametersText(plain)).toBeNull();
  });

  it('go into a downloaded PNG and come back out as the same parameters', async () => {
    const text = parametersText(metadata)!;
    const picture = { width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 255, 4, 5, 6, 255) };
    const png = new Uint8Array(
      await (await encodeImage(picture, 'png', 90, { parameters: text })).arrayBuffer(),
    );
    const read = await readPngText(png);
    expect(read.texts).toEqual([{ keyword: 'parameters', text, chunk: 'tEXt' }]);
    const back = parseSdParameters(read.texts[0]!.text);
    expect(back.params).toMatchObject({
      prompt: 'a red fox, in snow',
      negativePrompt: 'blurry',
      steps: 20,
      guidance: 7,
      seed: 42,
      width: 64,
      height: 72,
      scheduler: 'dpmpp-2m',
      karras: true,
    });
    expect(back.model).toEqual({ name: 'sd15', hash: 'abcdef0123' });
  });
});
