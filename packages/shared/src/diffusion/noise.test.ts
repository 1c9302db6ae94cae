import { describe, expect, it } from 'vitest';
import { lnUnit, sinCosTurn } from './deterministic-math';
import {
  gaussianNoise,
  imageSeeds,
  latentNoise,
  MAX_SEED,
  NOISE_STREAMS,
  randomSeed,
} from './noise';
import { philox4x32 } from './philox';

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0'));

describe('philox4x32', () => {
  // Random123's published known-answer vectors (tests/kat_vectors, philox4x32 with 10 rounds).
  it.each([
    [
      [0, 0, 0, 0],
      [0, 0],
      ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8'],
    ],
    [
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd'],
    ],
    [
      [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      [0xa4093822, 0x299f31d0],
      ['d16cfe09', '94fdcceb', '5001e420', '24126ea1'],
    ],
  ])('matches the Random123 known answer for counter %j, key %j', (counter, key, expected) => {
    expect(hex(philox4x32(counter, key[0]!, key[1]!, new Uint32Array(4)))).toEqual(expected);
  });
});

describe('deterministic math', () => {
  it('ln agrees with Math.log to a few ulp across (0, 1]', () => {
    for (let k = 0; k <= 32; k++) {
      for (const u of [2 ** -k, 2 ** -k * 0.70710678, 2 ** -k * 0.999999, (k + 1) * 2 ** -32]) {
        const exact = Math.log(u);
        expect(Math.abs(lnUnit(u) - exact)).toBeLessThanOrEqual(
          4e-16 * Math.max(1, Math.abs(exact)),
        );
      }
    }
    expect(lnUnit(1)).toBe(0);
  });

  it('sin and cos of a turn agree with Math in every quadrant', () => {
    let worst = 0;
    for (let i = 0; i < 4096; i++) {
      const u = (i + 0.37) / 4096;
      const [s, c] = sinCosTurn(u);
      worst = Math.max(
        worst,
        Math.abs(s - Math.sin(2 * Math.PI * u)),
        Math.abs(c - Math.cos(2 * Math.PI * u)),
      );
    }
    expect(worst).toBeLessThan(2e-15);
    expect(sinCosTurn(0)).toEqual([0, 1]);
  });
});

describe('gaussianNoise', () => {
  it('is Box–Muller on the Philox words, as its specification says', () => {
    const seed = 1234;
    const stream = 5;
    const values = gaussianNoise(seed, stream, 4 * 64);
    const words = new Uint32Array(4);
    let worstUlps = 0;
    for (let block = 0; block < 64; block++) {
      philox4x32([block, 0, 0, 0], seed, stream, words);
      for (let pair = 0; pair < 2; pair++) {
        const r = Math.sqrt(-2 * Math.log((words[2 * pair]! + 1) / 2 ** 32));
        const theta = (2 * Math.PI * words[2 * pair + 1]!) / 2 ** 32;
        const ulp = 2 ** -23 * Math.max(2 ** -126, r);
        const j = 4 * block + 2 * pair;
        worstUlps = Math.max(
          worstUlps,
          Math.abs(values[j]! - r * Math.cos(theta)) / ulp,
          Math.abs(values[j + 1]! - r * Math.sin(theta)) / ulp,
        );
      }
    }
    // Math's functions may differ from the specified ones in the last double bit: at most one float32 ulp.
    expect(worstUlps).toBeLessThanOrEqual(1);
  });

  // Pinned so that any change to the generator, which would change every seeded image, fails here.
  it.each([
    [0, 0, [0.991137683, -0.92466259, -0.617608964, -0.482068598, -0.153638229, 0.180825904]],
    [1, 0, [0.380400747, -0.296277881, -0.249233425, -1.00383723, 0.62694788, -0.633983791]],
    [42, 0, [-0.97018981, 0.19401896, -1.23562074, 1.92392671, -0.07318151, 0.139137492]],
    [
      MAX_SEED,
      0,
      [0.279561937, -0.0341584906, -0.708244741, 0.0404303074, 0.708530307, -0.875340164],
    ],
    [42, 2, [1.94816196, 0.530664444, -0.000448435923, 0.662844658, -0.698552966, 1.08207691]],
  ])('seed %i, stream %i starts with the recorded values', (seed, stream, expected) => {
    expect(Array.from(gaussianNoise(seed, stream, 6))).toEqual(expected.map(Math.fround));
  });

  it('has zero mean and unit variance', () => {
    const n = 1 << 18;
    const values = gaussianNoise(7, NOISE_STREAMS.latent, n);
    let sum = 0;
    let squares = 0;
    for (const v of values) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / n;
    // Four standard errors: the mean's is 1/√n, the variance's √(2/n).
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('gives a prefix of the same stream for a shorter length, and other values for other streams', () => {
    const long = gaussianNoise(9, 0, 11);
    expect(gaussianNoise(9, 0, 5)).toEqual(long.subarray(0, 5));
    expect(gaussianNoise(9, 1, 11)).not.toEqual(long);
    expect(gaussianNoise(10, 0, 11)).not.toEqual(long);
  });

  it('rejects seeds outside 0 … 2³² − 1, naming the field', () => {
    for (const seed of [-1, 2 ** 32, 1.5, NaN])
      expect(() => gaussianNoise(seed, 0, 4)).toThrow(
        expect.objectContaining({
          code: 'INVALID_PARAMS',
          fields: [expect.objectContaining({ path: 'seed' })],
        }),
      );
  });
});

describe('latentNoise and seeds', () => {
  it('gives batch item b the noise of seed + b', () => {
    const batch = latentNoise(100, NOISE_STREAMS.latent, [3, 4, 2, 2]);
    for (let b = 0; b < 3; b++)
      expect(batch.subarray(b * 16, (b + 1) * 16)).toEqual(
        gaussianNoise(100 + b, NOISE_STREAMS.latent, 16),
      );
  });

  it('numbers images seed, seed + 1, … and wraps past the largest seed', () => {
    expect(imageSeeds(7, 3)).toEqual([7, 8, 9]);
    expect(imageSeeds(MAX_SEED - 1, 3)).toEqual([MAX_SEED - 1, MAX_SEED, 0]);
  });

  it('draws random seeds in range', () => {
    const seeds = Array.from({ length: 32 }, randomSeed);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s <= MAX_SEED)).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});
