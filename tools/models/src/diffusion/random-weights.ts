/**
 * Where a generated graph's weights come from. `random` is a seeded stream (the same bytes on
 * every run and machine); `zeros` skips the arithmetic for tests that only count parameters
 * or check shapes of the SD-1.5-sized graphs.
 */
export interface WeightSource {
  /** `count` values uniform in [-bound, bound]. */
  uniform(count: number, bound: number): Float32Array;
}

/**
 * A seeded uniform stream (xoshiro128+, its state expanded from the seed by splitmix32):
 * fast enough for SD 1.5's 860 M weights in seconds, and deterministic everywhere.
 */
export class SeededWeights implements WeightSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small seed over the whole state, never all zero.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      words.push((z ^ (z >>> 16)) >>> 0);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
  }

  uniform(count: number, bound: number): Float32Array {
    const out = new Float32Array(count);
    const scale = (2 * bound) / 16777216;
    let { a, b, c, d } = this;
    for (let i = 0; i < count; i++) {
      // xoshiro128+: the top 24 bits of a + d make one float in [0, 1).
      const result = (a + d) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      out[i] = (result >>> 8) * scale - bound;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return out;
  }
}

let zeros = new Float32Array(0);

/**
 * All zeros: the graph's structure without the cost of random numbers. Views of one shared
 * buffer, so callers must not write to them (the graph builder copies or streams them out).
 */
export const ZERO_WEIGHTS: WeightSource = {
  uniform(count) {
    if (zeros.length < count) zeros = new Float32Array(count);
    return zeros.subarray(0, count);
  },
};
