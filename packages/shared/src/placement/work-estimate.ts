import type { Size } from '../image/rgba-image';
import { pixelCount } from '../image/rgba-image';
import type { ManifestEntry } from '../models/manifest';
import { MODELS } from '../models/model-specs';
import type { ModelId } from '../models/model-ids';
import { OPS } from '../ops/catalog';
import type { OpCost } from '../ops/op-spec';
import { stepModels, stepOutputSize, type Step } from '../ops/pipeline';
import { modelTileGrid } from '../engine/tiling';

/** What placement needs of a built model; a `ManifestEntry` is one. */
export type ModelCost = Pick<ManifestEntry, 'id' | 'bytes' | 'flopsPerInputPixel'>;

/**
 * Where a step's speed is looked up in measured rates: its model (a step's speed is the model's,
 * whatever the picture), or `op:<id>` for a step that runs none (geometry, kernels).
 *
 * @example rateKey({ op: 'upscale', params: { model: 'slim', scale: 2 } }) // 'esrgan-slim-x2'
 */
export function rateKey(step: Step): string {
  const ids = stepModels(step);
  return ids.length ? ids.join('+') : `op:${step.op}`;
}

/** One step's share of the work, as the time model prices it. */
export interface StepWork {
  readonly key: string;
  readonly flops: number;
  /** For a step of a `browserNeedsGpu` model: how many whole tiles of what edge it computes. */
  readonly heavy?: { readonly tiles: number; readonly tile: number };
}

/** How much an edit asks of whichever machine runs it. */
export interface WorkEstimate {
  /** Floating-point operations over the whole pipeline. */
  readonly flops: number;
  /** The same FLOPs step by step, with each step's rate key. */
  readonly steps: readonly StepWork[];
  /** Every model the pipeline loads, once each. */
  readonly models: readonly ModelId[];
  /** The picture it starts from and the one it returns. */
  readonly input: Size;
  readonly output: Size;
  /** Bytes of every model the pipeline loads (sessions stay resident between steps). */
  readonly modelBytes: number;
  /** Largest working set of one step: its input and output RGBA plus one tile (or image) in flight. */
  readonly peakStepBytes: number;
  /** Models the manifest did not list: their size is unknown, so the estimate is low. */
  readonly unknownModels: readonly ModelId[];
}

/**
 * Pixels a model computes over a picture of `size`. A fixed-tile graph (MAXIM) computes whole
 * tiles: each tile's overlap again, and the padding of a picture smaller than a tile, so a
 * 100×100 picture costs one full 256² tile. Other tiled models are priced per input pixel (their
 * overlap is a few percent), a fixed-input model (ISNet) at its input size.
 */
function modelPixels(id: ModelId, size: Size): number {
  const spec = MODELS[id];
  if (spec.fixedInputSize) return pixelCount(spec.fixedInputSize);
  if (!spec.tile?.fixed) return pixelCount(size);
  const t = spec.tile.size;
  const grid = modelTileGrid(spec, {
    width: Math.max(t, size.width),
    height: Math.max(t, size.height),
  });
  return grid.tiles.length * t * t;
}

function opCost(step: Step): OpCost {
  return (OPS[step.op].cost as (p: unknown) => OpCost)(step.params);
}

/** Pixels one model call sees at a time: a tile for tiled models, the fixed input for ISNet. */
function pixelsInFlight(models: readonly ModelId[], input: Size): number {
  const perModel = models.map((id) => {
    const spec = MODELS[id];
    if (spec.fixedInputSize) return pixelCount(spec.fixedInputSize);
    if (spec.tile?.fixed) return spec.tile.size * spec.tile.size;
    if (spec.tile) return Math.min(pixelCount(input), spec.tile.size * spec.tile.size);
    return pixelCount(input);
  });
  return perModel.length ? Math.max(...perModel) : pixelCount(input);
}

/**
 * Work and memory of running `steps` on an image of `input` size, from the op catalog's
 * cost and the manifest's per-model FLOPs and bytes.
 *
 * @example estimateWork([{ op: 'invert', params: {} }], { width: 1000, height: 1000 }, manifest.models)
 *   // { flops: 45e6, steps: [{ key: 'filter-color-matrix', flops: 45e6 }], modelBytes: 1257, … }
 */
export function estimateWork(
  steps: readonly Step[],
  input: Size,
  models: readonly ModelCost[],
): WorkEstimate {
  const byId = new Map(models.map((m) => [m.id, m]));
  const used = new Set<ModelId>();
  const perStep: StepWork[] = [];
  let peakStepBytes = 0;
  let size = input;
  for (const step of steps) {
    const ids = stepModels(step);
    const cost = opCost(step);
    const output = stepOutputSize(step, size);
    const modelFlops = ids.reduce(
      (sum, id) => sum + (byId.get(id)?.flopsPerInputPixel ?? 0) * modelPixels(id, size),
      0,
    );
    const heavy = ids.find((id) => MODELS[id].browserNeedsGpu && MODELS[id].tile);
    const edge = heavy ? MODELS[heavy].tile!.size : 0;
    perStep.push({
      key: rateKey(step),
      flops: pixelCount(size) * cost.flopsPerInputPixel + modelFlops,
      ...(heavy
        ? { heavy: { tiles: Math.ceil(modelPixels(heavy, size) / edge ** 2), tile: edge } }
        : {}),
    });
    const rgba = 4 * (pixelCount(size) + pixelCount(output));
    peakStepBytes = Math.max(
      peakStepBytes,
      rgba + cost.bytesPerInputPixel * pixelsInFlight(ids, size),
    );
    ids.forEach((id) => used.add(id));
    size = output;
  }
  const unknownModels = [...used].filter((id) => !byId.has(id));
  const modelBytes = [...used].reduce((sum, id) => sum + (byId.get(id)?.bytes ?? 0), 0);
  const flops = perStep.reduce((sum, s) => sum + s.flops, 0);
  return {
    flops,
    steps: perStep,
    models: [...used],
    input,
    output: size,
    modelBytes,
    peakStepBytes,
    unknownModels,
  };
}
