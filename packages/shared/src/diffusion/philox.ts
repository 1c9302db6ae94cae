/**
 * Philox-4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11): 128-bit counter + 64-bit key → four uint32 words, ten
 * rounds of multiply/xor with a Weyl key schedule. It is what Random123, cuRAND and JAX use, with
 * published known-answer vectors, and needs only 32-bit integer arithmetic, so JavaScript computes
 * it exactly in every engine.
 */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of a 32×32-bit product: split b so each partial product stays below 2^53. */
function mulHi(a: number, b: number): number {
  const low = a * (b & 0xffff);
  const high = a * (b >>> 16);
  return (
    (Math.floor(high / 0x10000) + Math.floor(((high % 0x10000) * 0x10000 + low) / 0x100000000)) >>>
    0
  );
}

/**
 * Writes Philox-4x32-10(counter, key) into `out`.
 *
 * @example philox4x32(Uint32Array.of(0, 0, 0, 0), 0, 0, out) // out = [0x6627e8d5, 0xe169c58d, …]
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key0: number,
  key1: number,
  out: Uint32Array,
): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key0 >>> 0;
  let k1 = key1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}
