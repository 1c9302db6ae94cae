/**
 * Plain float64 loops implementing the filter formulas documented in
 * packages/shared/src/ops/params: the yardstick the ONNX graphs are tested against.
 * Images are planar NCHW (4 × height × width), values in byte units; outputs are clamped
 * to 0..255 like the graphs', not rounded.
 */
export interface PlanarImage {
  readonly width: number;
  readonly height: number;
  /** 4 planes (R, G, B, A) of width × height values. */
  readonly data: Float64Array;
}

const LUMA = [0.2126, 0.7152, 0.0722] as const;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function mapPixels(
  image: PlanarImage,
  fn: (rgb: [number, number, number]) => [number, number, number],
): PlanarImage {
  const n = image.width * image.height;
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const rgb = fn([image.data[i]!, image.data[n + i]!, image.data[2 * n + i]!]);
    for (let c = 0; c < 3; c++) out[c * n + i] = clamp(rgb[c]!, 0, 255);
    out[3 * n + i] = clamp(image.data[3 * n + i]!, 0, 255);
  }
  return { width: image.width, height: image.height, data: out };
}

/** `params` = [exposure, contrast, saturation, temperature, tint, gamma] (adjustParamVector). */
export function adjustReference(image: PlanarImage, params: ArrayLike<number>): PlanarImage {
  const [exposure, contrast, saturation, temperature, tint, gamma] = Array.from(params) as number[];
  const gain = [
    1 + (0.2 * temperature!) / 100,
    1 - (0.2 * tint!) / 100,
    1 - (0.2 * temperature!) / 100,
  ];
  return mapPixels(image, (bytes) => {
    let c = bytes.map((v, k) => (v / 255) * 2 ** exposure! * gain[k]!);
    c = c.map((v) => (v - 0.5) * (1 + contrast! / 100) + 0.5);
    const l = c[0]! * LUMA[0] + c[1]! * LUMA[1] + c[2]! * LUMA[2];
    c = c.map((v) => l + (v - l) * (1 + saturation! / 100));
    return c.map((v) => 255 * clamp(v, 0, 1) ** (1 / gamma!)) as [number, number, number];
  });
}

/** `matrix` is row-major [3, 4]: out_k = M[k][0..2]·(r, g, b) + M[k][3]. */
export function colorMatrixReference(image: PlanarImage, matrix: ArrayLike<number>): PlanarImage {
  return mapPixels(
    image,
    ([r, g, b]) =>
      [0, 1, 2].map(
        (k) =>
          matrix[4 * k]! * r + matrix[4 * k + 1]! * g + matrix[4 * k + 2]! * b + matrix[4 * k + 3]!,
      ) as [number, number, number],
  );
}

/** 1-D convolution of one plane along x or y with edge-replicated borders. */
function convolvePlane(
  src: Float64Array,
  width: number,
  height: number,
  taps: ArrayLike<number>,
  horizontal: boolean,
) {
  const half = (taps.length - 1) / 2;
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let t = 0; t < taps.length; t++) {
        const sx = horizontal ? clamp(x + t - half, 0, width - 1) : x;
        const sy = horizontal ? y : clamp(y + t - half, 0, height - 1);
        sum += taps[t]! * src[sy * width + sx]!;
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}

function blurPlane(image: PlanarImage, channel: number, kernel: ArrayLike<number>): Float64Array {
  const { width, height } = image;
  const n = width * height;
  const plane = image.data.subarray(channel * n, (channel + 1) * n);
  return convolvePlane(
    convolvePlane(plane, width, height, kernel, true),
    width,
    height,
    kernel,
    false,
  );
}

/** Separable blur of all four (premultiplied) channels. */
export function blurReference(image: PlanarImage, kernel: ArrayLike<number>): PlanarImage {
  const n = image.width * image.height;
  const out = new Float64Array(4 * n);
  for (let c = 0; c < 4; c++)
    out.set(
      blurPlane(image, c, kernel).map((v) => clamp(v, 0, 255)),
      c * n,
    );
  return { width: image.width, height: image.height, data: out };
}

/** Unsharp mask on RGB: c + amount·(c − blur(c)); alpha passes through. */
export function sharpenReference(
  image: PlanarImage,
  kernel: ArrayLike<number>,
  amount: number,
): PlanarImage {
  const n = image.width * image.height;
  const out = new Float64Array(4 * n);
  for (let c = 0; c < 3; c++) {
    const blurred = blurPlane(image, c, kernel);
    for (let i = 0; i < n; i++) {
      const v = image.data[c * n + i]!;
      out[c * n + i] = clamp(v + amount * (v - blurred[i]!), 0, 255);
    }
  }
  for (let i = 0; i < n; i++) out[3 * n + i] = clamp(image.data[3 * n + i]!, 0, 255);
  return { width: image.width, height: image.height, data: out };
}
