/**
 * Softens a mask's edge by `radius` pixels: two box blurs (radii ⌊r/2⌋ and ⌈r/2⌉, one after the
 * other, separable), a tent-like falloff that reaches exactly `radius` pixels past the painted
 * edge and no further, so an edit under it never changes a pixel farther out. Integer rounding,
 * so every runtime gets the same bytes. Returns a new array; radius 0 returns a copy.
 *
 * @example feather(Uint8Array.of(0, 0, 0, 255, 0, 0, 0), { width: 7, height: 1 }, 2) // [0, 28, 57, 85, 57, 28, 0]
 */
export function feather(
  data: Uint8Array,
  size: { width: number; height: number },
  radius: number,
): Uint8Array {
  const r = Math.max(0, Math.floor(radius));
  let out: Uint8Array = data.slice();
  const first = Math.floor(r / 2);
  const second = r - first;
  for (const k of [first, second]) {
    if (k === 0) continue;
    out = boxBlur(out, size.width, size.height, k, true);
    out = boxBlur(out, size.width, size.height, k, false);
  }
  return out;
}

/**
 * A running-sum box blur of radius k along rows (or columns). Beyond the edge the edge pixel
 * repeats: a mask painted up to the picture's border stays full strength there.
 */
function boxBlur(
  src: Uint8Array,
  width: number,
  height: number,
  k: number,
  rows: boolean,
): Uint8Array {
  const out = new Uint8Array(src.length);
  const lines = rows ? height : width;
  const length = rows ? width : height;
  const stride = rows ? 1 : width;
  const window = 2 * k + 1;
  for (let line = 0; line < lines; line++) {
    const base = rows ? line * width : line;
    const at = (i: number) => src[base + Math.min(length - 1, Math.max(0, i)) * stride]!;
    let sum = 0;
    for (let i = -k; i <= k; i++) sum += at(i);
    for (let i = 0; i < length; i++) {
      out[base + i * stride] = Math.round(sum / window);
      sum += at(i + k + 1) - at(i - k);
    }
  }
  return out;
}
