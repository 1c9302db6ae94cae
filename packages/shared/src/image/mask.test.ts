import { describe, expect, it } from 'vitest';
import { checkMaskFits, maskFromRgba, maskIsEmpty } from './mask';

describe('maskFromRgba', () => {
  it('reads white as repaint and black or transparent as keep, grey and alpha in between', () => {
    const rgba = Uint8Array.of(
      255,
      255,
      255,
      255, // white, opaque → 255
      0,
      0,
      0,
      255, // black → 0
      255,
      255,
      255,
      0, // white but transparent (an unpainted brush canvas) → 0
      255,
      255,
      255,
      128, // half-painted white → 128
      128,
      128,
      128,
      255, // grey → 128
    );
    const mask = maskFromRgba({ width: 5, height: 1, data: rgba });
    expect([...mask.data]).toEqual([255, 0, 0, 128, 128]);
    expect(maskIsEmpty(mask)).toBe(false);
    expect(maskIsEmpty({ width: 1, height: 1, data: Uint8Array.of(0) })).toBe(true);
  });
});

describe('checkMaskFits', () => {
  const mask = { width: 4, height: 2, data: new Uint8Array(8) };
  it('accepts a mask the size of the picture and names the field when it is missing or misfits', () => {
    expect(checkMaskFits(mask, { width: 4, height: 2 })).toBe(mask);
    expect(() => checkMaskFits(undefined, { width: 4, height: 2 })).toThrow(/needs a mask/);
    expect(() => checkMaskFits(mask, { width: 5, height: 2 })).toThrow(
      /mask is 4×2 but the image is 5×2/,
    );
    expect(() =>
      checkMaskFits({ ...mask, data: new Uint8Array(3) }, { width: 4, height: 2 }),
    ).toThrow(/3 bytes/);
  });
});
