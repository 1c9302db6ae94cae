import { LoupeError } from '../api/loupe-error';
import { lnUnit, sinCosTurn } from './deterministic-math';
import { philox4x32 } from './philox';

/** Seeds are uint32, the range the SD tools show and accept. */
export const MAX_SEED = 0xffffffff;

/**
 * Independent noise streams of one seed, so that adding a use of randomness never shifts another:
 * the start latent (also what img2img and inpainting noise the init with), the VAE posterior sample
 * of an init image, and the fresh noise an ancestral or LCM step draws.
 */
export const NOISE_STREAMS = {
  latent: 0,
  vaePosterior: 1,
  /** Stream of the noise drawn by step i of a run (0-based). */
  step: (i: number) => 2 + i,
} as const;

/**
 * `length` standard normal float32 values of stream `stream` for seed `seed`, the same in every
 * JavaScript runtime and re-implementable anywhere from this definition:
 *
 * 1. Block b (b = 0, 1, …) is Philox-4x32-10 with counter (b, 0, 0, 0) and key (seed, stream),
 *    giving uint32 words w0 w1 w2 w3.
 * 2. Each pair (w0, w1) and (w2, w3) gives two values by Box–Muller in float64:
 *    u1 = (wa + 1)·2⁻³², u2 = wb·2⁻³², r = sqrt(−2·ln u1), values r·cos(2π·u2) then r·sin(2π·u2),
 *    with ln, sin and cos as defined in deterministic-math.ts.
 * 3. Value i is the (i mod 4)-th of block ⌊i/4⌋ (order: w0w1 cos, w0w1 sin, w2w3 cos, w2w3 sin),
 *    rounded to float32 (nearest, ties to even).
 *
 * @example gaussianNoise(42, NOISE_STREAMS.latent, 4) // four N(0, 1) values, identical everywhere
 */
export function gaussianNoise(seed: number, stream: number, length: number): Float32Array {
  checkSeed(seed);
  const out = new Float32Array(length);
  const counter = new Uint32Array(4);
  const words = new Uint32Array(4);
  for (let block = 0, i = 0; i < length; block++) {
    counter[0] = block;
    philox4x32(counter, seed, stream, words);
    for (let pair = 0; pair < 2 && i < length; pair++) {
      const r = Math.sqrt(-2 * lnUnit((words[2 * pair]! + 1) * 2 ** -32));
      const [sin, cos] = sinCosTurn(words[2 * pair + 1]! * 2 ** -32);
      out[i++] = r * cos;
      if (i < length) out[i++] = r * sin;
    }
  }
  return out;
}

/**
 * Noise for a latent batch of `shape` ([batch, channels, height, width]): batch item b is
 * `gaussianNoise(seed + b, stream, …)`, so image b of a batch is the image a single run with
 * seed + b makes.
 */
export function latentNoise(seed: number, stream: number, shape: readonly number[]): Float32Array {
  const [batch = 1, ...rest] = shape;
  const itemSize = rest.reduce((a, b) => a * b, 1);
  const out = new Float32Array(batch * itemSize);
  imageSeeds(seed, batch).forEach((s, b) =>
    out.set(gaussianNoise(s, stream, itemSize), b * itemSize),
  );
  return out;
}

/**
 * The seeds of `count` images generated from `seed`: seed, seed + 1, …, wrapping past 2³² − 1.
 *
 * @example imageSeeds(7, 3) // [7, 8, 9]
 */
export function imageSeeds(seed: number, count: number): number[] {
  checkSeed(seed);
  return Array.from({ length: count }, (_, i) => (seed + i) % (MAX_SEED + 1));
}

interface CryptoLike {
  getRandomValues(array: Uint32Array): Uint32Array;
}

/** A fresh seed from the runtime's CSPRNG (Web Crypto, in browsers, workers and Node alike). */
export function randomSeed(): number {
  const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
  if (!crypto)
    throw new LoupeError('INTERNAL', 'This runtime has no Web Crypto to draw a seed from');
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new LoupeError('INVALID_PARAMS', `seed must be a whole number from 0 to ${MAX_SEED}`, [
      { path: 'seed', message: `must be a whole number from 0 to ${MAX_SEED}` },
    ]);
}
