import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value, fromFloat16Bits, toFloat16Bits } from './float16';
import { tensorFloats, typedTensor } from './typed-tensor';

describe('float16', () => {
  it('gives the IEEE bit patterns: normals, subnormals, ties to even, overflow, NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [0.1, 0x2e66],
      [1 / 3, 0x3555],
      [65504, 0x7bff],
      // Past the largest half by more than half an ulp: Infinity; just under: the largest half.
      [65520, 0x7c00],
      [65519, 0x7bff],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -14, 0x0400],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000],
      [1.5 * 2 ** -25, 0x0001],
      [2 ** -26, 0x0000],
      // Halfway between 1 and 1 + 2⁻¹⁰ goes to the even mantissa (1); three halves up goes up.
      [1 + 2 ** -11, 0x3c00],
      [1 + 3 * 2 ** -11, 0x3c02],
      // The largest subnormal rounds up into the smallest normal.
      [2 ** -14 - 2 ** -25, 0x0400],
    ];
    for (const [value, bits] of cases) expect(float16Bits(value), String(value)).toBe(bits);
    expect(float16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(NaN) & 0x3ff).not.toBe(0);
  });

  it('round-trips every one of the 65 536 halves exactly through float32', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const values = fromFloat16Bits(all);
    const back = toFloat16Bits(values);
    for (let i = 0; i < 65536; i++) {
      const nan = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
      if (nan) expect(Number.isNaN(values[i])).toBe(true);
      else if (back[i] !== i)
        throw new Error(`0x${i.toString(16)} came back 0x${back[i]!.toString(16)}`);
      if (!nan) expect(float16Value(i)).toBe(values[i]);
    }
  });
});

describe('typedTensor', () => {
  it('builds each type from numbers and reads floats back', () => {
    expect([...(typedTensor('float16', [1, 0.5], [2]).data as Uint16Array)]).toEqual([
      0x3c00, 0x3800,
    ]);
    expect([...(typedTensor('int64', [981, 2.6], [2]).data as BigInt64Array)]).toEqual([981n, 3n]);
    expect([...(typedTensor('int32', [7], [1, 1]).data as Int32Array)]).toEqual([7]);
    expect(typedTensor('float32', [3], []).dims).toEqual([]);
    expect(Array.from(tensorFloats(typedTensor('float16', [0.1], [1]), 'x'))).toEqual([
      float16Value(0x2e66),
    ]);
    expect(() => tensorFloats(typedTensor('int32', [1], [1]), 'ids')).toThrow(/ids is int32/);
    expect(() => typedTensor('float32', [1, 2], [3])).toThrow(/2 values for dims \[3\]/);
  });
});
