import { describe, expect, it } from 'vitest';
import { LoupeError } from '../../api/loupe-error';
import type { DiffusionCatalog } from '../../api/models';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import { parsePipeline, type Step } from '../../ops/pipeline';
import { foldersFor, resolveDiffusionSteps } from './diffusion-steps';

// Only what resolving and picking read; the rest of a folder's description does not enter.
const ready = (id: string, over: Partial<DiffusionModelInfo> = {}) =>
  ({
    status: 'ready',
    id,
    kind: 'stable-diffusion',
    capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
    nativeSize: { width: 512, height: 768, source: 'unet-config' },
    scheduler: { className: 'EulerDiscreteScheduler', predictionType: 'epsilon' },
    ...over,
  }) as DiffusionCatalog['models'][number];

const catalog: DiffusionCatalog = {
  configured: true,
  scannedAt: '2026-12-02T00:00:00.000Z',
  models: [
    { status: 'unusable', id: 'broken', problem: 'no unet/model.onnx' },
    ready('inpainter', { kind: 'inpainting', capabilities: ['inpaint'] }),
    ready('sd'),
  ],
};

const ctx = {
  paramPath: (i: number, key: string) => `steps.${i}.params.${key}`,
  unknownModel: (id: string) => `no model '${id}' here`,
  message: (reasons: string[]) => `cannot: ${reasons.join('; ')}`,
};

function steps(...list: [Step['op'], Record<string, unknown>][]): Step[] {
  const r = parsePipeline(list.map(([op, params]) => ({ op, params })));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('foldersFor', () => {
  it('lists the ready folders that can run the op, in catalog order, without their status', () => {
    expect(foldersFor(catalog, 'generate').map((f) => f.id)).toEqual(['sd']);
    expect(foldersFor(catalog, 'inpaint').map((f) => f.id)).toEqual(['inpainter', 'sd']);
    expect(foldersFor(catalog, 'instruct')).toEqual([]);
    expect(foldersFor(catalog, 'generate')[0]).not.toHaveProperty('status');
  });
});

describe('resolveDiffusionSteps', () => {
  it('fixes size, seed and sampler from the folder each step names, and passes others through', () => {
    const { steps: out, folders } = resolveDiffusionSteps(
      catalog,
      steps(['generate', { model: 'sd', prompt: 'a fox', width: 640 }], ['invert', {}]),
      ctx,
    );
    expect(out[0]!.params).toMatchObject({ width: 640, height: 768, scheduler: 'euler' });
    expect(typeof (out[0]!.params as { seed: unknown }).seed).toBe('number');
    expect(out[1]).toEqual({ op: 'invert', params: {} });
    expect([...folders.keys()]).toEqual(['sd']);
  });

  it("refuses every step whose folder is missing, unusable or can't do the op, each at its model", () => {
    let error: unknown;
    try {
      resolveDiffusionSteps(
        catalog,
        steps(
          ['generate', { model: 'nope', prompt: 'a' }],
          ['img2img', { model: 'broken', prompt: 'b' }],
          ['generate', { model: 'inpainter', prompt: 'c' }],
        ),
        ctx,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoupeError);
    const e = error as LoupeError;
    expect(e.code).toBe('INVALID_PARAMS');
    expect(e.fields?.map((f) => f.path)).toEqual([
      'steps.0.params.model',
      'steps.1.params.model',
      'steps.2.params.model',
    ]);
    expect(e.fields?.[0]?.message).toBe("no model 'nope' here");
    expect(e.fields?.[1]?.message).toMatch(/'broken' is not usable: no unet\/model.onnx/);
    expect(e.fields?.[2]?.message).toMatch(/cannot run generate/);
    expect(e.message).toMatch(/^cannot: no model 'nope' here; /);
  });
});
