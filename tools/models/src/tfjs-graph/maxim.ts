import { isModelId, type ModelId } from '@loupe/shared';
import type { BuiltModel, BuildContext, Converter } from '../build-context';
import { packageDir } from '../manifest/package-info';
import { graphFlops } from '../onnx/graph-flops';
import { onnx } from '../onnx/graph-builder';
import { readGraphModel } from './graph-model';
import { graphToOnnx, INPUT } from './graph-to-onnx';

/**
 * UpscalerJS's MAXIM packages (@upscalerjs/maxim-<task>, 0.1.0, MIT): one 22.2 M-parameter
 * graph per restoration task, same architecture and ops.
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

/** Built by default; the rest with `pnpm models --maxim-all` (each package is ~112 MB). */
export const DEFAULT_MAXIM_TASKS: readonly MaximTask[] = ['deblurring'];

export const maximPackage = (task: MaximTask) => `@upscalerjs/maxim-${task}`;
export const maximModelName = (task: MaximTask) => `maxim-${task}`;

/**
 * The tile the graphs are converted for. UpscalerJS's definitions set divisibilityFactor 64
 * (three 2× downsamplings, then 16×16 blocks and grids in the gMLP layers); the ONNX graph
 * has this one static shape, so the engine must feed full tiles (padding small images).
 */
export const MAXIM_TILE = 256;
const MODEL_PATH = 'models/model.json';

export interface MaximBuild {
  readonly name: string;
  readonly onnx: Uint8Array;
  readonly sourcePackage: string;
  readonly sourceFiles: readonly string[];
  readonly flopsPerInputPixel: number;
  readonly tile: number;
  readonly folded: number;
  readonly emitted: number;
}

/**
 * One MAXIM package's graph as ONNX for a `tile`×`tile` RGB input in 0..1 (NCHW `input` →
 * `output`, same range), the layout every tiled model in the shared engine has.
 *
 * @example
 *   const m = await buildMaxim('deblurring'); // m.name === 'maxim-deblurring'
 */
export async function buildMaxim(task: MaximTask, tile = MAXIM_TILE): Promise<MaximBuild> {
  if (tile % 64 !== 0) throw new Error(`MAXIM tiles are multiples of 64 (got ${tile})`);
  const pkg = maximPackage(task);
  const name = maximModelName(task);
  const source = await readGraphModel(packageDir(pkg), MODEL_PATH);
  const { onnx: bytes, report } = graphToOnnx(source, {
    name,
    docString: `${name}: converted from ${pkg} ${MODEL_PATH} for ${tile}×${tile} tiles by @loupe/model-tools.`,
    height: tile,
    width: tile,
    channels: 3,
  });
  const flops = graphFlops(onnx.ModelProto.decode(bytes).graph!, { [INPUT]: [1, 3, tile, tile] });
  return {
    name,
    onnx: bytes,
    sourcePackage: pkg,
    sourceFiles: source.files,
    flopsPerInputPixel: flops.total / (tile * tile),
    tile,
    ...report,
  };
}

/**
 * The manifest id of a MAXIM model. The ids belong to @loupe/shared's catalog: until it lists
 * them, `pnpm models` skips the family (with a log line) instead of writing unlisted files.
 */
function catalogId(name: string): ModelId | undefined {
  return isModelId(name) ? name : undefined;
}

/** `pnpm models`: the default MAXIM tasks, or all seven with `--maxim-all`. */
export function maximConverter(tasks: readonly MaximTask[]): Converter {
  return async (ctx: BuildContext) => {
    const built: BuiltModel[] = [];
    for (const task of tasks) {
      const id = catalogId(maximModelName(task));
      if (!id) {
        ctx.log(`${maximModelName(task)}: skipped, not in @loupe/shared's MODELS yet`);
        continue;
      }
      const started = performance.now();
      const m = await buildMaxim(task);
      ctx.log(
        `${id}: ${(m.onnx.length / 1e6).toFixed(1)} MB, ${(m.flopsPerInputPixel / 1e6).toFixed(2)} MFLOP/px, ` +
          `${m.folded} nodes folded, ${m.emitted} written, ${(performance.now() - started).toFixed(0)} ms`,
      );
      built.push({
        id,
        onnx: m.onnx,
        sourcePackage: m.sourcePackage,
        sourceFiles: m.sourceFiles,
        flopsPerInputPixel: m.flopsPerInputPixel,
        recommendedTile: m.tile,
      });
    }
    return built;
  };
}
