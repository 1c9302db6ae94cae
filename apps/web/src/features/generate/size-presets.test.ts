import { describe, expect, it } from 'vitest';
import { farFromNative, sizeAtAspect, sizeForImage, sizePresets } from './size-presets';

describe('size presets', () => {
  it('keep about the native pixel count at each aspect, on the 8 px grid', () => {
    expect(sizeAtAspect({ width: 512, height: 512 }, 16, 9)).toEqual({ width: 680, height: 384 });
    expect(sizeAtAspect({ width: 512, height: 512 }, 3, 4)).toEqual({ width: 440, height: 592 });
    for (const p of sizePresets({ width: 768, height: 768 })) {
      expect(p.width % 8).toBe(0);
      expect(p.height % 8).toBe(0);
      expect(Math.abs((p.width * p.height) / (768 * 768) - 1)).toBeLessThan(0.05);
    }
  });

  it('start with the native size and offer each size once', () => {
    const presets = sizePresets({ width: 64, height: 64 });
    expect(presets[0]).toEqual({ label: 'Native 64 × 64', width: 64, height: 64 });
    const keys = presets.map((p) => `${p.width}x${p.height}`);
    expect(new Set(keys).size).toBe(keys.length);
    // At 64², 4:3 and 3:2 both round below the 64 px minimum on their short side.
    expect(presets.every((p) => p.width >= 64 && p.height >= 64)).toBe(true);
  });

  it("fit a picture's aspect to the model's area", () => {
    expect(sizeForImage({ width: 4000, height: 3000 }, { width: 512, height: 512 })).toEqual({
      width: 592,
      height: 440,
    });
    expect(farFromNative({ width: 4000, height: 3000 }, { width: 512, height: 512 })).toBe(true);
    expect(farFromNative({ width: 600, height: 400 }, { width: 512, height: 512 })).toBe(false);
  });
});
