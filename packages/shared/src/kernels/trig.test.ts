import { describe, expect, it } from 'vitest';
import { cosPi, sinPi } from './trig';

describe('sinPi and cosPi', () => {
  it('agree with Math.sin and Math.cos to 2e-15 over several turns', () => {
    for (let i = -4000; i <= 4000; i++) {
      const x = i / 997;
      expect(Math.abs(sinPi(x) - Math.sin(Math.PI * x))).toBeLessThan(2e-15);
      expect(Math.abs(cosPi(x) - Math.cos(Math.PI * x))).toBeLessThan(2e-15);
    }
  });

  it('are exact where resampling needs them to be: zeros at integers, 1 at 0', () => {
    for (let n = -6; n <= 6; n++) expect(Math.abs(sinPi(n))).toBe(0);
    expect(cosPi(0)).toBe(1);
    expect(sinPi(0.5)).toBe(1);
    expect(cosPi(1)).toBe(-1);
  });
});
