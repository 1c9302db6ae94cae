import { describe, expect, it } from 'vitest';
import { OP_IDS } from './op-ids';
import { parsePipeline, type Step } from './pipeline';
import { canPreview, opPreview, previewStep } from './preview';

const step = (raw: unknown): Step => {
  const parsed = parsePipeline([raw]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value[0]!;
};

describe('live preview in the catalog', () => {
  it('is declared by the cheap ops that have something to move, and by no model op but background removal', () => {
    expect(OP_IDS.filter((op) => opPreview(op))).toEqual([
      'remove-background',
      'adjust',
      'blur',
      'sharpen',
      'grayscale',
      'sepia',
    ]);
  });

  it('previews a per-pixel or filter op whatever was committed before', () => {
    const adjust = step({ op: 'adjust', params: { exposure: 1 } });
    expect(canPreview(adjust, null)).toBe(true);
    expect(canPreview(step({ op: 'sepia', params: { amount: 40 } }), adjust)).toBe(true);
    expect(canPreview(step({ op: 'upscale' }), null)).toBe(false);
    expect(canPreview(step({ op: 'invert' }), null)).toBe(false);
  });

  it('previews background removal only while tuning a committed one with the same model', () => {
    const cutout = step({ op: 'remove-background', params: { model: 'quint8' } });
    const colour = step({
      op: 'remove-background',
      params: { model: 'quint8', output: 'color', color: '#00ff00' },
    });
    const fp16 = step({ op: 'remove-background', params: { model: 'fp16', output: 'color' } });
    expect(canPreview(colour, cutout)).toBe(true);
    expect(canPreview(colour, null)).toBe(false);
    expect(canPreview(fp16, cutout)).toBe(false);
    expect(canPreview(colour, step({ op: 'blur' }))).toBe(false);
  });
});

describe('previewStep', () => {
  it('shrinks pixel radii with the copy, never below what the schema accepts', () => {
    expect(previewStep(step({ op: 'blur', params: { radius: 12 } }), 0.25)).toEqual({
      op: 'blur',
      params: { radius: 3 },
    });
    expect(previewStep(step({ op: 'blur', params: { radius: 1 } }), 0.1).params).toEqual({
      radius: 0.5,
    });
    expect(
      previewStep(step({ op: 'sharpen', params: { amount: 2, radius: 4 } }), 0.5).params,
    ).toEqual({ amount: 2, radius: 2 });
    const blurred = previewStep(
      step({ op: 'remove-background', params: { output: 'blur', blurRadius: 40 } }),
      0.1,
    );
    expect(blurred.params).toMatchObject({ output: 'blur', blurRadius: 4 });
    for (const s of [blurred, previewStep(step({ op: 'blur', params: { radius: 1 } }), 0.01)])
      expect(parsePipeline([s]).ok).toBe(true);
  });

  it('leaves size-free params and full-size copies as they are', () => {
    const adjust = step({ op: 'adjust', params: { exposure: 1, contrast: 20 } });
    expect(previewStep(adjust, 0.25)).toBe(adjust);
    const blur = step({ op: 'blur', params: { radius: 12 } });
    expect(previewStep(blur, 1)).toBe(blur);
  });
});
