/**
 * A plain-loop forward pass of websr's Anime4K networks, written from websr 0.0.15's WGSL
 * (src/layers/anime4k/*.ts) and wiring (src/networks/anime4k/*.ts), layer by layer as websr
 * runs them: vec4 buffers, mat4x4f weights, CReLU inside each layer. It shares no code with
 * the converter, so the two agreeing is evidence both read the weights the same way.
 *
 * Borders clamp to the edge (see anime4k-to-onnx.ts for why that is the contract).
 */

interface Layer {
  weights?: number[];
  bias?: number[];
}
export interface Anime4kJson {
  name: string;
  layers: Record<string, Layer>;
}

/** Four floats per pixel, row-major: websr's array<vec4f> buffers. */
interface Vec4Buffer {
  readonly width: number;
  readonly height: number;
  readonly data: Float64Array;
}

/** RGB planes in 0..1 (NCHW, no batch). */
export interface RgbPlanes {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

const buffer = (width: number, height: number): Vec4Buffer => ({
  width,
  height,
  data: new Float64Array(4 * width * height),
});

function texel(b: Vec4Buffer, x: number, y: number): Float64Array {
  const cx = Math.min(b.width - 1, Math.max(0, x));
  const cy = Math.min(b.height - 1, Math.max(0, y));
  const i = 4 * (cy * b.width + cx);
  return b.data.subarray(i, i + 4);
}

/** `result += kernels[m] * v` for a WGSL mat4x4f read column-major from the weights. */
function addMatVec(result: Float64Array, weights: number[], m: number, v: ArrayLike<number>): void {
  for (let col = 0; col < 4; col++)
    for (let row = 0; row < 4; row++) result[row]! += weights[16 * m + 4 * col + row]! * v[col]!;
}

const pos = (v: Float64Array) => Array.from(v, (x) => Math.max(x, 0));
const neg = (v: Float64Array) => Array.from(v, (x) => Math.max(-x, 0));

/** kernel_offsets in websr: x-major, (-1,-1), (-1,0), (-1,1), (0,-1), … */
const OFFSETS = Array.from({ length: 9 }, (_, i) => [Math.floor(i / 3) - 1, (i % 3) - 1] as const);

/** Runs `body(result, x, y)` for every pixel, starting each result at the layer's bias. */
function perPixel(
  like: Vec4Buffer,
  bias: number[] | undefined,
  body: (r: Float64Array, x: number, y: number) => void,
): Vec4Buffer {
  const out = buffer(like.width, like.height);
  for (let y = 0; y < like.height; y++)
    for (let x = 0; x < like.width; x++) {
      const r = out.data.subarray(4 * (y * like.width + x), 4 * (y * like.width + x) + 4);
      if (bias) r.set(bias);
      body(r, x, y);
    }
  return out;
}

/** Anime4KConv3x4: 3x3 on the RGBA input, no activation. */
function conv3x4(input: Vec4Buffer, l: Layer): Vec4Buffer {
  return perPixel(input, l.bias, (r, x, y) =>
    OFFSETS.forEach(([dx, dy], i) => addMatVec(r, l.weights!, i, texel(input, x + dx, y + dy))),
  );
}

/** Anime4KConv8x4: 3x3 on CReLU of one buffer. */
function conv8x4(a: Vec4Buffer, l: Layer): Vec4Buffer {
  return perPixel(a, l.bias, (r, x, y) =>
    OFFSETS.forEach(([dx, dy], i) => {
      const p = texel(a, x + dx, y + dy);
      addMatVec(r, l.weights!, i, pos(p));
      addMatVec(r, l.weights!, i + 9, neg(p));
    }),
  );
}

/** Anime4KConv16x4: 3x3 on CReLU of two buffers. */
function conv16x4(a: Vec4Buffer, b: Vec4Buffer, l: Layer): Vec4Buffer {
  return perPixel(a, l.bias, (r, x, y) =>
    OFFSETS.forEach(([dx, dy], i) => {
      const p0 = texel(a, x + dx, y + dy);
      const p1 = texel(b, x + dx, y + dy);
      addMatVec(r, l.weights!, i, pos(p0));
      addMatVec(r, l.weights!, i + 9, pos(p1));
      addMatVec(r, l.weights!, i + 18, neg(p0));
      addMatVec(r, l.weights!, i + 27, neg(p1));
    }),
  );
}

/** Anime4KConv56x4: 1x1 on CReLU of seven buffers. */
function conv56x4(sources: Vec4Buffer[], l: Layer): Vec4Buffer {
  return perPixel(sources[0]!, l.bias, (r, x, y) =>
    sources.forEach((s, k) => {
      const p = texel(s, x, y);
      addMatVec(r, l.weights!, 2 * k, pos(p));
      addMatVec(r, l.weights!, 2 * k + 1, neg(p));
    }),
  );
}

/** Anime4KConv112x4 (first and second halves) followed by Anime4KConcat2, which adds the bias. */
function conv112x4(first: Vec4Buffer[], second: Vec4Buffer[], l: Layer): Vec4Buffer {
  return perPixel(first[0]!, l.bias, (r, x, y) => {
    for (let k = 0; k < 7; k++) {
      const a = texel(first[k]!, x, y);
      const b = texel(second[k]!, x, y);
      addMatVec(r, l.weights!, 4 * k, pos(a));
      addMatVec(r, l.weights!, 4 * k + 2, neg(a));
      addMatVec(r, l.weights!, 4 * k + 1, pos(b));
      addMatVec(r, l.weights!, 4 * k + 3, neg(b));
    }
  });
}

/** Linear sample at output pixel centres of a 2x canvas, clamped to the edge. */
function bilinear2x(input: Vec4Buffer, X: number, Y: number, c: number): number {
  const sx = (X + 0.5) / 2 - 0.5;
  const sy = (Y + 0.5) / 2 - 0.5;
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const at = (x: number, y: number) => texel(input, x, y)[c]!;
  return (
    (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
    fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1))
  );
}

/** DisplayLayer / DisplayLayer3C: bilinear 2x plus the sub-pixel value (one plane for all of RGB, or one each). */
function display2x(input: Vec4Buffer, planes: Vec4Buffer[]): RgbPlanes {
  const w = 2 * input.width;
  const h = 2 * input.height;
  const out = new Float32Array(3 * w * h);
  for (let Y = 0; Y < h; Y++)
    for (let X = 0; X < w; X++) {
      const sub = (X % 2) + 2 * (Y % 2);
      for (let c = 0; c < 3; c++) {
        const plane = planes.length === 1 ? planes[0]! : planes[c]!;
        const residual = texel(plane, Math.floor(X / 2), Math.floor(Y / 2))[sub]!;
        out[c * w * h + Y * w + X] = bilinear2x(input, X, Y, c) + residual;
      }
    }
  return { width: w, height: h, data: out };
}

/** DisplayLayer1x: the input plus the residual's first three channels. */
function display1x(input: Vec4Buffer, residual: Vec4Buffer): RgbPlanes {
  const n = input.width * input.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) out[c * n + i] = input.data[4 * i + c]! + residual.data[4 * i + c]!;
  return { width: input.width, height: input.height, data: out };
}

/** The bilinear 2x that every 2x network adds its residual to: the baseline it must beat. */
export function bilinear2xReference(image: RgbPlanes): RgbPlanes {
  const zero = buffer(image.width, image.height);
  return display2x(rgbaFromPlanes(image), [zero]);
}

function rgbaFromPlanes(image: RgbPlanes): Vec4Buffer {
  const n = image.width * image.height;
  const b = buffer(image.width, image.height);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) b.data[4 * i + c] = image.data[c * n + i]!;
    b.data[4 * i + 3] = 1;
  }
  return b;
}

/** websr's network for `json` (cnn-2x-* or cnn-restore-*, sizes s, m, l) on an opaque RGB image in 0..1. */
export function anime4kReference(json: Anime4kJson, image: RgbPlanes): RgbPlanes {
  const L = json.layers;
  const input = rgbaFromPlanes(image);
  const upscale = json.name.includes('2x');
  const size = json.name.slice(-1);
  if (size === 's') {
    let t = conv3x4(input, L.conv2d_tf!);
    t = conv8x4(t, L.conv2d_1_tf!);
    t = conv8x4(t, L.conv2d_2_tf!);
    return upscale
      ? display2x(input, [conv8x4(t, L.conv2d_last_tf!)])
      : display1x(input, conv8x4(t, L.conv2d_out_tf!));
  }
  if (size === 'm') {
    const steps = [conv3x4(input, L.conv2d_tf!)];
    for (let i = 1; i < 7; i++) steps.push(conv8x4(steps[i - 1]!, L[`conv2d_${i}_tf`]!));
    return upscale
      ? display2x(
          input,
          ['conv2d_7_tf', 'conv2d_7_tf1', 'conv2d_7_tf2'].map((n) => conv56x4(steps, L[n]!)),
        )
      : display1x(input, conv56x4(steps, L.conv2d_out_tf!));
  }
  const a = [conv3x4(input, L.conv2d_tf!)];
  const b = [conv3x4(input, L.conv2d_tf1!)];
  for (let i = 1; i < (upscale ? 7 : 4); i++) {
    a.push(conv16x4(a[i - 1]!, b[i - 1]!, L[`conv2d_${i}_tf`]!));
    b.push(conv16x4(a[i - 1]!, b[i - 1]!, L[`conv2d_${i}_tf1`]!));
  }
  return upscale
    ? display2x(
        input,
        ['conv2d_last_tf', 'conv2d_last_tf1', 'conv2d_last_tf2'].map((n) => conv112x4(a, b, L[n]!)),
      )
    : display1x(input, conv16x4(a[3]!, b[3]!, L.conv2d_out_tf!));
}
