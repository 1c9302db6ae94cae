import { GraphBuilder } from '../onnx/graph-builder';
import {
  mat4Kernel,
  stackOutputs,
  type ConvWeights,
  type WebsrLayer,
  type WebsrNetwork,
} from './websr-weights';

/**
 * The shape every websr Anime4K network has (src/networks/anime4k/*.ts in @websr/websr 0.0.15):
 *   first: parallel 3x3 convs on the RGBA input (L has two), outputs stacked;
 *   chain: 3x3 convs, each on CReLU of the step before (L runs pairs in parallel);
 *   head:  either a 3x3 conv on CReLU of the last step (S, restore-L) or a 1x1 conv on CReLU of
 *          every step concatenated (M, L); a 2x head has one conv per output plane (luma for S,
 *          R, G, B for M and L) whose 4 channels are the 2x2 sub-pixels.
 */
interface Topology {
  readonly first: WebsrLayer[];
  readonly chain: WebsrLayer[][];
  readonly head: WebsrLayer[];
  readonly upscale: boolean;
}

function topology(net: WebsrNetwork): Topology {
  const layers = net.layers;
  const parallel = (base: string) =>
    [layers[base], layers[`${base}1`]].filter((l): l is WebsrLayer => !!l);
  const first = parallel('conv2d_tf');
  const chain: WebsrLayer[][] = [];
  for (let k = 1; layers[`conv2d_${k}_tf`] && !isHead(layers[`conv2d_${k}_tf`]!, net); k++) {
    chain.push(parallel(`conv2d_${k}_tf`));
  }
  const used = new Set([...first, ...chain.flat()]);
  const head = Object.values(layers).filter((l) => l.type === 'conv' && !used.has(l));
  const upscale = Object.values(layers).some((l) => l.type === 'pixel_shuffle');
  if (!first.length || !head.length) throw new Error(`${net.name}: unrecognised Anime4K layout`);
  return { first, chain, head, upscale };
}

/** A head conv is one whose output feeds the display: the pixel shuffle, or "MAIN" (restore). */
function isHead(layer: WebsrLayer, net: WebsrNetwork): boolean {
  if (layer.output === 'MAIN') return true;
  return Object.values(net.layers).some(
    (l) => l.type === 'pixel_shuffle' && l.inputs.includes(layer.output),
  );
}

export interface Anime4kGraphOptions {
  readonly name: string;
  readonly docString?: string;
}

/**
 * Bakes a websr Anime4K network into one graph: RGB `input` [1,3,H,W] in 0..1 to the finished
 * RGB `output` (2x: [1,3,2H,2W]; restore: same size), so no runtime needs websr's shaders.
 *
 * What is baked in, following websr's WGSL: the first conv sees RGBA with alpha = 1 (its alpha
 * column is folded into the bias); every later conv sees CReLU = [relu(x), relu(-x)]; 2x heads
 * are pixel-shuffled (channel sy·2 + sx is sub-pixel (sy, sx), ONNX DepthToSpace CRD) and added
 * to a bilinear 2x of the input (S adds its single luma plane to R, G and B); restore adds the
 * first three head channels to the input.
 *
 * Borders: websr samples the input with "repeat" and reads its intermediate buffers past the
 * row ends, which wraps to the neighbouring row; Anime4K's reference (mpv) clamps to the edge
 * everywhere. We clamp to the edge (Pad edge, bilinear half-pixel), which is also what makes
 * tiled output equal whole-image output.
 */
export function anime4kToOnnx(net: WebsrNetwork, options: Anime4kGraphOptions): Uint8Array {
  const t = topology(net);
  const g = new GraphBuilder(options.name);
  const rgb = g.input('input', [1, 3, 'height', 'width']);
  const features = headInput(g, rgb, t);
  const head = stackOutputs(t.head.map((l) => mat4Kernel(l, features.channels)));
  const output = t.upscale
    ? upscaled(g, rgb, features.value, head)
    : restored(g, rgb, features.value, head);
  g.output(output, 'output', [1, 3, 'out_height', 'out_width']);
  return g.toBytes(options.docString);
}

/** First conv and chain; returns what the head reads (CReLU of the last step, or of all steps). */
function headInput(g: GraphBuilder, rgb: string, t: Topology): Value {
  const firstConv = stackOutputs(t.first.map((l) => mat4Kernel(l, 4)));
  const steps = [conv3x3(g, rgb, dropAlphaInput(firstConv))];
  // Each step's CReLU feeds the next conv and, in M and L, the head too: build it once.
  const activated: Value[] = [];
  const activation = (k: number) => (activated[k] ??= crelu(g, steps[k]!));
  for (const parallel of t.chain) {
    const input = activation(steps.length - 1);
    steps.push(
      conv3x3(g, input.value, stackOutputs(parallel.map((l) => mat4Kernel(l, input.channels)))),
    );
  }
  // The weight count tells the two head kinds apart: 3x3 over the last step, or 1x1 over all.
  const lastChannels = 2 * steps[steps.length - 1]!.channels;
  if (t.head.every((l) => l.weights!.length === 16 * 9 * (lastChannels / 4)))
    return activation(steps.length - 1);
  const all = steps.map((_, k) => activation(k));
  return {
    value: g.node(
      'Concat',
      all.map((x) => x.value),
      { axis: 1 },
    ),
    channels: all.reduce((n, x) => n + x.channels, 0),
  };
}

/** 2x: the head's 2x2 sub-pixels (DepthToSpace CRD) on top of a bilinear 2x of the input. */
function upscaled(g: GraphBuilder, rgb: string, features: string, head: ConvWeights): string {
  const fine = g.node('DepthToSpace', [headConv(g, features, head)], { blocksize: 2, mode: 'CRD' });
  const base = g.node('Resize', [rgb, '', g.constant([1, 1, 2, 2])], {
    mode: 'linear',
    coordinate_transformation_mode: 'half_pixel',
  });
  return g.node('Add', [base, fine]);
}

/** Restore: websr's 1x display adds the head's first three channels to the input. */
function restored(g: GraphBuilder, rgb: string, features: string, head: ConvWeights): string {
  if (head.dims[0] !== 4) throw new Error('a restore head is one 4-channel conv');
  return g.node('Add', [rgb, headConv(g, features, firstOutputs(head, 3))]);
}

interface Value {
  readonly value: string;
  readonly channels: number;
}

function crelu(g: GraphBuilder, x: Value): Value {
  const value = g.node(
    'Concat',
    [g.node('Relu', [x.value]), g.node('Relu', [g.node('Neg', [x.value])])],
    { axis: 1 },
  );
  return { value, channels: 2 * x.channels };
}

/** A 3x3 conv over an edge-replicated border (Pad edge commutes with CReLU, so padding after it is the same). */
function conv3x3(g: GraphBuilder, x: string, w: ConvWeights): Value {
  const padded = g.node('Pad', [x, g.int64([0, 0, 1, 1, 0, 0, 1, 1])], { mode: 'edge' });
  return { value: g.conv(padded, w.weight, w.dims, w.bias), channels: w.dims[0] };
}

function headConv(g: GraphBuilder, x: string, w: ConvWeights): string {
  return w.dims[2] === 3 ? conv3x3(g, x, w).value : g.conv(x, w.weight, w.dims, w.bias);
}

/** The input's alpha is always 1 (opaque RGBA texture), so its weights become a constant bias. */
function dropAlphaInput(w: ConvWeights): ConvWeights {
  const [out, inC, kh, kw] = w.dims;
  if (inC !== 4) throw new Error('first conv must read RGBA');
  const taps = kh * kw;
  const weight = new Float32Array(out * 3 * taps);
  const bias = Float32Array.from(w.bias);
  for (let o = 0; o < out; o++) {
    weight.set(w.weight.subarray(o * 4 * taps, (o * 4 + 3) * taps), o * 3 * taps);
    for (let t = 0; t < taps; t++) bias[o] = bias[o]! + w.weight[(o * 4 + 3) * taps + t]!;
  }
  return { weight, dims: [out, 3, kh, kw], bias };
}

function firstOutputs(w: ConvWeights, count: number): ConvWeights {
  const per = w.weight.length / w.dims[0];
  return {
    weight: w.weight.slice(0, count * per),
    dims: [count, w.dims[1], w.dims[2], w.dims[3]],
    bias: w.bias.slice(0, count),
  };
}
