import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One layer of a websr Anime4K weights file (weights/anime4k/<name>.json). */
export interface WebsrLayer {
  readonly name: string;
  readonly type: 'conv' | 'pixel_shuffle';
  readonly inputs: readonly string[];
  readonly output: string;
  /** mat4x4f blocks, column-major (16 floats each); see mat4Kernel. */
  readonly weights?: readonly number[];
  readonly bias?: readonly number[];
}

export interface WebsrNetwork {
  readonly name: string;
  readonly layers: Readonly<Record<string, WebsrLayer>>;
}

export async function readWebsrNetwork(packageRoot: string, file: string): Promise<WebsrNetwork> {
  return JSON.parse(await readFile(join(packageRoot, file), 'utf8')) as WebsrNetwork;
}

/** An OIHW conv weight with its bias. */
export interface ConvWeights {
  readonly weight: Float32Array;
  readonly dims: [number, number, number, number];
  readonly bias: Float32Array;
}

/**
 * Unpacks a websr conv layer into OIHW with 4 outputs, as websr's WGSL reads it: mat4x4f
 * number `block·taps + tap` multiplies input channels block·4 … block·4 + 3, so element
 * [col j][row o] at float `16·m + 4·j + o` is the weight from input channel block·4 + j to
 * output o. 3x3 taps run x-major ((-1,-1), (-1,0), (-1,1), (0,-1), …), so tap t sits at kernel
 * row t % 3, column ⌊t / 3⌋. `taps` is inferred from the input channel count.
 */
export function mat4Kernel(layer: WebsrLayer, inputChannels: number): ConvWeights {
  const w = layer.weights;
  const b = layer.bias;
  if (!w || !b || b.length !== 4) throw new Error(`${layer.name}: not a 4-output conv`);
  const blocks = inputChannels / 4;
  const taps = w.length / (16 * blocks);
  if (!Number.isInteger(blocks) || (taps !== 9 && taps !== 1)) {
    throw new Error(
      `${layer.name}: ${w.length} weights do not fit ${inputChannels} input channels`,
    );
  }
  const k = taps === 9 ? 3 : 1;
  const weight = new Float32Array(4 * inputChannels * k * k);
  for (let block = 0; block < blocks; block++)
    for (let tap = 0; tap < taps; tap++)
      for (let j = 0; j < 4; j++)
        for (let o = 0; o < 4; o++) {
          const row = tap % k;
          const col = Math.floor(tap / k);
          weight[((o * inputChannels + block * 4 + j) * k + row) * k + col] =
            w[(block * taps + tap) * 16 + 4 * j + o]!;
        }
  return { weight, dims: [4, inputChannels, k, k], bias: Float32Array.from(b) };
}

/** Parallel convs on the same input, written as one conv with their outputs stacked. */
export function stackOutputs(parts: readonly ConvWeights[]): ConvWeights {
  const [, inC, kh, kw] = parts[0]!.dims;
  if (parts.some((p) => p.dims[1] !== inC || p.dims[2] !== kh))
    throw new Error('parallel convs differ in shape');
  const weight = new Float32Array(parts.reduce((n, p) => n + p.weight.length, 0));
  const bias = new Float32Array(parts.reduce((n, p) => n + p.bias.length, 0));
  let wo = 0;
  let bo = 0;
  for (const p of parts) {
    weight.set(p.weight, wo);
    bias.set(p.bias, bo);
    wo += p.weight.length;
    bo += p.bias.length;
  }
  return { weight, dims: [bias.length, inC, kh, kw], bias };
}
