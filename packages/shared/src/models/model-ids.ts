/** Upscaler weights from the @upscalerjs/esrgan-* packages: RDN (slim, medium) and RRDN (thick). */
export const ESRGAN_SIZES = ['slim', 'medium', 'thick'] as const;
export type EsrganSize = (typeof ESRGAN_SIZES)[number];
export const ESRGAN_SCALES = [2, 3, 4, 8] as const;
export type EsrganScale = (typeof ESRGAN_SCALES)[number];

/** ISNet from @imgly/background-removal-data: "small" is quint8, "medium" is fp16. */
export const ISNET_VARIANTS = ['quint8', 'fp16'] as const;
export type IsnetVariant = (typeof ISNET_VARIANTS)[number];

/** Anime4K CNN weights from @websr/websr: restore (same size) or 2x upscale. */
export const ANIME4K_SIZES = ['s', 'm', 'l'] as const;
export type Anime4kSize = (typeof ANIME4K_SIZES)[number];
export const ANIME4K_STYLES = ['an', 'rl', '3d'] as const;
export type Anime4kStyle = (typeof ANIME4K_STYLES)[number];

/** Small edits expressed as ONNX graphs built in code (tools/models/src/filters). */
export const FILTER_GRAPHS = ['adjust', 'blur', 'sharpen', 'color-matrix'] as const;
export type FilterGraph = (typeof FILTER_GRAPHS)[number];

/**
 * UpscalerJS's MAXIM restoration graphs (@upscalerjs/maxim-<task>, MIT): one 22.2 M-parameter
 * network per task, same architecture. The names are the packages'.
 */
export const MAXIM_TASKS = [
  'deblurring',
  'denoising',
  'dehazing-indoor',
  'dehazing-outdoor',
  'deraining',
  'enhancement',
  'retouching',
] as const;
export type MaximTask = (typeof MAXIM_TASKS)[number];

export type EsrganModelId = `esrgan-${EsrganSize}-x${EsrganScale}`;
export type IsnetModelId = `isnet-${IsnetVariant}`;
export type Anime4kModelId =
  `anime4k-2x-${Anime4kSize}-${Anime4kStyle}` | `anime4k-restore-${Anime4kSize}-an`;
export type FilterModelId = `filter-${FilterGraph}`;
export type MaximModelId = `maxim-${MaximTask}`;
export type ModelId = EsrganModelId | IsnetModelId | Anime4kModelId | FilterModelId | MaximModelId;

export const esrganModelId = (size: EsrganSize, scale: EsrganScale): EsrganModelId =>
  `esrgan-${size}-x${scale}`;
export const isnetModelId = (variant: IsnetVariant): IsnetModelId => `isnet-${variant}`;
export const filterModelId = (graph: FilterGraph): FilterModelId => `filter-${graph}`;
export const maximModelId = (task: MaximTask): MaximModelId => `maxim-${task}`;

export const MODEL_IDS: readonly ModelId[] = [
  ...ESRGAN_SIZES.flatMap((size) => ESRGAN_SCALES.map((scale) => esrganModelId(size, scale))),
  ...ISNET_VARIANTS.map(isnetModelId),
  ...ANIME4K_SIZES.flatMap((size) => [
    ...ANIME4K_STYLES.map((style): Anime4kModelId => `anime4k-2x-${size}-${style}`),
    `anime4k-restore-${size}-an` as const,
  ]),
  ...FILTER_GRAPHS.map(filterModelId),
  ...MAXIM_TASKS.map(maximModelId),
];

export function isModelId(value: string): value is ModelId {
  return (MODEL_IDS as readonly string[]).includes(value);
}
