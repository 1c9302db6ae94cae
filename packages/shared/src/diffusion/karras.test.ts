import { describe, expect, it } from 'vitest';
import { karrasSigmas } from './karras';

describe('karrasSigmas', () => {
  it('follows Karras et al. eq. 5: evenly spaced in σ^(1/ρ) from σ_max to σ_min', () => {
    const [min, max, rho, n] = [0.0292, 14.6146, 7, 12];
    const sigmas = karrasSigmas(n, min, max, rho);
    expect(sigmas).toHaveLength(n);
    sigmas.forEach((s, i) => {
      const expected =
        (max ** (1 / rho) + (i / (n - 1)) * (min ** (1 / rho) - max ** (1 / rho))) ** rho;
      expect(s).toBeCloseTo(expected, 12);
    });
    expect(sigmas[0]).toBeCloseTo(max, 12);
    expect(sigmas[n - 1]).toBeCloseTo(min, 14);
    expect(sigmas.every((s, i) => i === 0 || s < sigmas[i - 1]!)).toBe(true);
  });

  it('has no trailing zero, and one level is σ_max', () => {
    expect(karrasSigmas(5, 0.1, 10).includes(0)).toBe(false);
    expect(karrasSigmas(1, 0.1, 10)).toEqual([expect.closeTo(10, 12)]);
  });

  it('spends more steps at low noise as ρ grows, and is linear in σ at ρ = 1', () => {
    const linear = karrasSigmas(5, 1, 5, 1);
    linear.forEach((s, i) => expect(s).toBeCloseTo(5 - i, 12));
    const below2 = (rho: number) => karrasSigmas(20, 0.03, 15, rho).filter((s) => s < 2).length;
    expect(below2(7)).toBeGreaterThan(below2(3));
  });

  it('rejects impossible ranges', () => {
    expect(() => karrasSigmas(0, 0.1, 1)).toThrow(RangeError);
    expect(() => karrasSigmas(4, 0, 1)).toThrow(RangeError);
    expect(() => karrasSigmas(4, 2, 1)).toThrow(RangeError);
  });
});
