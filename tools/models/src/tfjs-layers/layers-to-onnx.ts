import { GraphBuilder } from '../onnx/graph-builder';
import { foldNearestUpsampleIntoConv } from './fold-nearest-upsample';
import { hwioToOihw } from './kernel-layout';
import type { LayerSpec, LayersModel } from './layers-model';

export interface LayersToOnnxOptions {
  /** Graph and model name written into the ONNX file. */
  readonly name: string;
  readonly docString?: string;
  /**
   * Rewrite nearest UpSampling2D + Conv2D as a low-resolution conv + DepthToSpace (exact; see
   * fold-nearest-upsample.ts). On by default; off gives the literal graph the tests compare to.
   */
  readonly foldUpsampleConv?: boolean;
}

/** ONNX I/O names and dims every upscaler shares (packages/shared MODELS). */
const INPUT = 'input';
const OUTPUT = 'output';
const INPUT_DIMS = [1, 3, 'height', 'width'] as const;
const OUTPUT_DIMS = [1, 3, 'out_height', 'out_width'] as const;
/** BETA in @upscalerjs/esrgan-* dist/.../shared/src/esrgan/esrgan.js (RRDN's residual scaling). */
const MULTIPLY_BETA = 0.2;

/**
 * Writes a TFJS layers model (NHWC, Keras layers) as an NCHW ONNX graph. Covers what the
 * @upscalerjs ESRGAN packages use: Conv2D, Activation(relu), Concatenate, Add, UpSampling2D
 * (nearest) and RRDN's custom MultiplyBeta (x·beta) and PixelShuffle<N>x (tf.depthToSpace,
 * whose channel order is ONNX's DCR mode). Anything else throws rather than guessing.
 *
 * @example
 *   const bytes = layersToOnnx(await readLayersModel(dir, 'models/x4/model.json'), { name: 'esrgan-slim-x4' });
 */
export function layersToOnnx(model: LayersModel, options: LayersToOnnxOptions): Uint8Array {
  const fold = options.foldUpsampleConv ?? true;
  if (model.inputLayers.length !== 1 || model.outputLayers.length !== 1) {
    throw new Error('only single-input, single-output models are supported');
  }
  const g = new GraphBuilder(options.name);
  const values = new Map<string, string>([[model.inputLayers[0]!, g.input(INPUT, INPUT_DIMS)]]);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const consumers = countConsumers(model.layers);
  /** Upsamples not written yet: folded into their conv, or emitted as Resize when first read. */
  const pendingUpsamples = new Set<string>();

  const valueOf = (layerName: string): string => {
    if (pendingUpsamples.has(layerName)) {
      pendingUpsamples.delete(layerName);
      const layer = byName.get(layerName)!;
      values.set(
        layerName,
        nearestResize(g, valueOf(inboundNames(layer)[0]!), upsampleFactor(layer)),
      );
    }
    const v = values.get(layerName);
    if (v === undefined) throw new Error(`layer ${layerName} is used before it is defined`);
    return v;
  };

  for (const layer of model.layers) {
    if (layer.class_name === 'InputLayer') continue;
    const inbound = inboundNames(layer);
    const cfg = layer.config;
    let value: string;
    switch (layer.class_name) {
      case 'Conv2D': {
        const source = byName.get(inbound[0]!);
        const foldable =
          fold &&
          source?.class_name === 'UpSampling2D' &&
          pendingUpsamples.has(source.name) &&
          consumers.get(source.name) === 1;
        value = foldable
          ? foldedConv(g, model, layer, source, valueOf)
          : conv(g, model, layer, valueOf(inbound[0]!));
        break;
      }
      case 'Activation':
        if (cfg.activation !== 'relu')
          throw new Error(`${layer.name}: activation ${String(cfg.activation)}`);
        value = g.node('Relu', [valueOf(inbound[0]!)]);
        break;
      case 'Concatenate':
        if (cfg.axis !== 3 && cfg.axis !== -1)
          throw new Error(`${layer.name}: concat on axis ${String(cfg.axis)}`);
        value = g.node('Concat', inbound.map(valueOf), { axis: 1 });
        break;
      case 'Add':
        value = inbound.map(valueOf).reduce((sum, v) => g.node('Add', [sum, v]));
        break;
      case 'MultiplyBeta':
        // upscalerjs's class hard-codes beta and ignores the config, so we use its constant and
        // refuse a config that disagrees instead of silently following either.
        if (cfg.beta !== undefined && cfg.beta !== MULTIPLY_BETA)
          throw new Error(`${layer.name}: beta ${String(cfg.beta)}`);
        value = g.node('Mul', [valueOf(inbound[0]!), g.constant([MULTIPLY_BETA], [])]);
        break;
      case 'UpSampling2D':
        if (cfg.interpolation !== 'nearest')
          throw new Error(`${layer.name}: ${String(cfg.interpolation)}`);
        upsampleFactor(layer);
        pendingUpsamples.add(layer.name);
        continue;
      default: {
        const shuffle = /^PixelShuffle(\d+)x$/.exec(layer.class_name);
        if (!shuffle) throw new Error(`${layer.name}: layer ${layer.class_name} is not supported`);
        value = g.node('DepthToSpace', [valueOf(inbound[0]!)], {
          blocksize: Number(shuffle[1]),
          mode: 'DCR',
        });
      }
    }
    values.set(layer.name, value);
  }
  g.output(valueOf(model.outputLayers[0]!), OUTPUT, OUTPUT_DIMS);
  return g.toBytes(options.docString);
}

function inboundNames(layer: LayerSpec): string[] {
  if (layer.inbound_nodes.length !== 1)
    throw new Error(`${layer.name}: shared layers are not supported`);
  return layer.inbound_nodes[0]!.map(([name, , tensorIndex]) => {
    if (tensorIndex !== 0) throw new Error(`${layer.name}: multi-output inbound ${name}`);
    return name;
  });
}

function countConsumers(layers: readonly LayerSpec[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const layer of layers)
    for (const name of layer.class_name === 'InputLayer' ? [] : inboundNames(layer)) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  return counts;
}

function upsampleFactor(layer: LayerSpec): number {
  const size = layer.config.size as readonly number[];
  if (size[0] !== size[1]) throw new Error(`${layer.name}: anisotropic upsampling`);
  return size[0]!;
}

/** Integer nearest upsampling: asymmetric + floor copies each pixel into an s x s block. */
function nearestResize(g: GraphBuilder, x: string, s: number): string {
  return g.node('Resize', [x, '', g.constant([1, 1, s, s])], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
}

interface ConvParams {
  readonly kernel: ReturnType<typeof hwioToOihw>;
  readonly bias: Float32Array;
  readonly pads: number;
  readonly relu: boolean;
}

function convParams(model: LayersModel, layer: LayerSpec): ConvParams {
  const cfg = layer.config;
  const unit = (v: unknown) => Array.isArray(v) && v.every((x) => x === 1);
  if (!unit(cfg.strides) || !unit(cfg.dilation_rate) || (cfg.groups ?? 1) !== 1) {
    throw new Error(`${layer.name}: only stride 1, dilation 1, groups 1 convs are supported`);
  }
  if (cfg.data_format !== 'channels_last')
    throw new Error(`${layer.name}: ${String(cfg.data_format)}`);
  if (cfg.activation !== 'linear' && cfg.activation !== 'relu') {
    throw new Error(`${layer.name}: fused activation ${String(cfg.activation)}`);
  }
  const w = model.weights.get(`${layer.name}/kernel`);
  if (!w) throw new Error(`${layer.name}: no kernel weights`);
  const kernel = hwioToOihw(w.data, w.shape);
  const [out, , kh, kw] = kernel.dims;
  if (kh !== kw || kh % 2 === 0)
    throw new Error(`${layer.name}: ${kh}x${kw} kernels are not supported`);
  const bias = cfg.use_bias ? model.weights.get(`${layer.name}/bias`)?.data : new Float32Array(out);
  if (!bias) throw new Error(`${layer.name}: no bias weights`);
  // Keras 'same' with stride 1 and an odd kernel pads (k - 1) / 2 zeros on every side.
  const pads = cfg.padding === 'same' ? (kh - 1) / 2 : 0;
  if (cfg.padding !== 'same' && cfg.padding !== 'valid')
    throw new Error(`${layer.name}: ${String(cfg.padding)}`);
  return { kernel, bias, pads, relu: cfg.activation === 'relu' };
}

function conv(g: GraphBuilder, model: LayersModel, layer: LayerSpec, x: string): string {
  const p = convParams(model, layer);
  const y = g.conv(x, p.kernel.data, p.kernel.dims, p.bias, p.pads);
  return p.relu ? g.node('Relu', [y]) : y;
}

function foldedConv(
  g: GraphBuilder,
  model: LayersModel,
  layer: LayerSpec,
  upsample: LayerSpec,
  valueOf: (name: string) => string,
): string {
  const p = convParams(model, layer);
  if (p.pads !== (p.kernel.dims[2] - 1) / 2) return conv(g, model, layer, valueOf(upsample.name));
  const s = upsampleFactor(upsample);
  const f = foldNearestUpsampleIntoConv(p.kernel, p.bias, s);
  const low = g.conv(
    valueOf(inboundNames(upsample)[0]!),
    f.kernel.data,
    f.kernel.dims,
    f.bias,
    f.pads,
  );
  const y = g.node('DepthToSpace', [low], { blocksize: s, mode: 'DCR' });
  return p.relu ? g.node('Relu', [y]) : y;
}
