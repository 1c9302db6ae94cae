import {
  MAXIM_TASKS,
  MAXIM_TILE as SHARED_MAXIM_TILE,
  maximModelId,
  type MaximTask,
} from '@loupe/shared';
import type { BuiltModel, BuildContext, Converter } from '../build-context';
import { packageDir } from '../manifest/package-info';
import { graphFlops } from '../onnx/graph-flops';
import { onnx } from '../onnx/graph-builder';
import { readGraphModel } from './graph-model';
import { graphToOnnx, INPUT, type GraphToOnnxOptions } from './graph-to-onnx';

export { MAXIM_TASKS, type MaximTask };

export const maximPackage = (task: MaximTask) => `@upscalerjs/maxim-${task}`;

/** The tile the graphs are converted for: @loupe/shared's `MAXIM_TILE` (see there). */
export const MAXIM_TILE = SHARED_MAXIM_TILE.size;
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
  readonly gelus: number;
  readonly norms: number;
  readonly splits: number;
}

/**
 * One MAXIM package's graph as ONNX for a `tile`×`tile` RGB input in 0..1 (NCHW `input` →
 * `output`, same range), the layout every tiled model in the shared engine has.
 *
 * @example
 *   const m = await buildMaxim('deblurring'); // m.name === 'maxim-deblurring'
 */
export async function buildMaxim(
  task: MaximTask,
  tile = MAXIM_TILE,
  { denseRewrites = true }: Pick<GraphToOnnxOptions, 'denseRewrites'> = {},
): Promise<MaximBuild> {
  if (tile % 64 !== 0) throw new Error(`MAXIM tiles are multiples of 64 (got ${tile})`);
  const pkg = maximPackage(task);
  const name = maximModelId(task);
  const source = await readGraphModel(packageDir(pkg), MODEL_PATH);
  const { onnx: bytes, report } = graphToOnnx(source, {
    name,
    docString: `${name}: converted from ${pkg} ${MODEL_PATH} for ${tile}×${tile} tiles by @loupe/model-tools.`,
    height: tile,
    width: tile,
    channels: 3,
    denseRewrites,
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
 * The tasks `pnpm models` builds: all seven, or those `--maxim=<task>,…` names (`--maxim=none`
 * for none), e.g. to save the ~530 MB they take in public/models.
 *
 * @example maximTasksFromArgs(['--maxim=deblurring,denoising']) // ['deblurring', 'denoising']
 */
export function maximTasksFromArgs(argv: readonly string[]): readonly MaximTask[] {
  const flag = argv.find((a) => a.startsWith('--maxim='));
  if (!flag) return MAXIM_TASKS;
  const names = flag.slice('--maxim='.length).split(',').filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !(MAXIM_TASKS as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(
      `--maxim: unknown task ${unknown.join(', ')}; known: ${MAXIM_TASKS.join(', ')}`,
    );
  return names as MaximTask[];
}

/** `pnpm models`: one ONNX graph per MAXIM task asked for. */
export function maximConverter(tasks: readonly MaximTask[]): Converter {
  return async (ctx: BuildContext) => {
    const built: BuiltModel[] = [];
    for (const task of tasks) {
      const id = maximModelId(task);
      const started = performance.now();
      const m = await buildMaxim(task);
      ctx.log(
        `${id}: ${(m.onnx.length / 1e6).toFixed(1)} MB, ${(m.flopsPerInputPixel / 1e6).toFixed(2)} MFLOP/px, ` +
          `${m.folded} nodes folded, ${m.emitted} written, ${m.gelus} GELUs fused, ${m.norms} norms folded into dense layers, ${m.splits} dense layers split at their slices, ${(performance.now() - started).toFixed(0)} ms`,
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
