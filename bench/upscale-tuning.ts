// Benchmark 1b: which onnxruntime-node settings and tile size make Loupe's upscale fastest on CPU.
import { MODELS, esrganModelId, type EsrganModelId } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { msSpread, ratio } from './lib/format';
import { photoRgb } from './lib/images';
import { toTensor } from './lib/loupe-raw';
import { versionsOf } from './lib/machine';
import { loadManifest, modelFile } from './lib/models';
import {
  createSession,
  DEFAULT_SETTINGS,
  releaseSession,
  runFloat,
  settingsLabel,
  type OrtSettings,
} from './lib/ort';
import { writeResult, type Table } from './lib/result';
import { interleave, pairedRatios, summarize } from './lib/stats';

const NAME = 'upscale-tuning';

const SETTINGS: Record<string, OrtSettings> = {
  default: DEFAULT_SETTINGS,
  'threads=1': { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 },
  'threads=2': { ...DEFAULT_SETTINGS, intraOpNumThreads: 2 },
  'opt=extended (no NCHWc)': { ...DEFAULT_SETTINGS, graphOptimizationLevel: 'extended' },
  'opt=basic': { ...DEFAULT_SETTINGS, graphOptimizationLevel: 'basic' },
  'mode=parallel': { ...DEFAULT_SETTINGS, executionMode: 'parallel' },
  'spinning off': { ...DEFAULT_SETTINGS, allowSpinning: false },
};

async function settingsSweep(
  manifest: NonNullable<ReturnType<typeof loadManifest>>,
  id: EsrganModelId,
  side: number,
  reps: number,
  names: string[],
) {
  const img = await photoRgb(side, side);
  const input = { data: toTensor(img, id), dims: [1, 3, side, side] };
  const sessions = await Promise.all(
    names.map((n) => createSession(modelFile(manifest, id), SETTINGS[n])),
  );
  const t = await interleave(
    Object.fromEntries(names.map((n, i) => [n, () => runFloat(sessions[i]!, { input })])),
    { warmup: 1, reps },
  );
  for (const s of sessions) await releaseSession(s);
  return names.map((n) => ({
    name: n,
    time: summarize(t[n]!),
    speedup: pairedRatios(t.default!, t[n]!),
  }));
}

/**
 * Cost per useful input pixel of the engine's tile size E (kernels/tiles.ts): the model reads E²
 * pixels and the tile answers for (E − 2·overlap)² of them in the interior of a large image.
 */
async function tileSweep(
  manifest: NonNullable<ReturnType<typeof loadManifest>>,
  id: EsrganModelId,
  tiles: number[],
  reps: number,
) {
  const overlap = MODELS[id].tile!.overlap;
  const valid = tiles.filter((E) => E > 2 * overlap);
  const session = await createSession(modelFile(manifest, id));
  const inputs = await Promise.all(
    valid.map(async (E) => ({ data: toTensor(await photoRgb(E, E), id), dims: [1, 3, E, E] })),
  );
  const t = await interleave(
    Object.fromEntries(
      valid.map((E, i) => [String(E), () => runFloat(session, { input: inputs[i]! })]),
    ),
    { warmup: 1, reps },
  );
  await releaseSession(session);
  const useful = (E: number) => (E - 2 * overlap) ** 2;
  const base = summarize(t['128']!.map((v) => v / useful(128))).median;
  return valid.map((E) => {
    const perPx = summarize(t[String(E)]!.map((v) => (v * 1000) / useful(E)));
    return {
      tile: E,
      overlap,
      time: summarize(t[String(E)]!),
      usPerPixel: perPx,
      vs128: base / (perPx.median / 1000),
      workFactor: E ** 2 / useful(E),
    };
  });
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const tables: Table[] = [];
  const data: Record<string, unknown> = {};
  const models: EsrganModelId[] = quick
    ? [esrganModelId('slim', 2)]
    : [esrganModelId('slim', 2), esrganModelId('medium', 2)];
  const names = quick ? ['default', 'threads=1', 'opt=extended (no NCHWc)'] : Object.keys(SETTINGS);
  const side = 128;

  const settingsRows: string[][] = [];
  for (const id of models) {
    log(NAME, `settings on ${id} ${side}²`);
    const res = await settingsSweep(manifest, id, side, quick ? 3 : 5, names);
    data[`settings:${id}`] = res;
    for (const r of res)
      settingsRows.push([
        id,
        r.name,
        r.name === 'default' ? '1' : ratio(r.speedup),
        msSpread(r.time),
      ]);
  }
  tables.push({
    title: `onnxruntime-node settings, ${side}² input (speed-up = default time / this time)`,
    columns: ['model', 'setting', 'speed-up vs default', 'ms'],
    rows: settingsRows,
  });

  const tileRows: string[][] = [];
  const tiles = quick ? [64, 128, 256] : [64, 96, 128, 192, 256, 384, 512];
  for (const id of models) {
    log(NAME, `tile sizes on ${id}: ${tiles.join(', ')}`);
    const res = await tileSweep(manifest, id, tiles, quick ? 2 : 3);
    data[`tiles:${id}`] = res;
    for (const r of res) {
      tileRows.push([
        id,
        `${r.tile} (overlap ${r.overlap})`,
        r.tile === 128 ? '1' : `${r.vs128.toFixed(2)}×`,
        `${r.usPerPixel.median.toFixed(2)} µs`,
        `${r.workFactor.toFixed(2)}×`,
        msSpread(r.time),
      ]);
    }
  }
  tables.push({
    title:
      "Engine tile size E: cost per useful input pixel inside a large image (speed-up vs the spec's 128)",
    columns: [
      'model',
      'tile E',
      'speed-up vs 128',
      'per useful input px',
      'work factor E²/(E−2·overlap)²',
      'ms per tile',
    ],
    rows: tileRows,
  });

  return writeResult(
    {
      name: NAME,
      title: 'onnxruntime-node tuning for upscaling',
      quick,
      versions: versionsOf(['onnxruntime-node']),
      conditions: [
        `default = ${settingsLabel(DEFAULT_SETTINGS)} (onnxruntime-node's defaults; auto threads = one per core)`,
        'Raw sessions, one per setting, all alive and interleaved round by round; input is the photo resized to the size shown',
        'Tile cost: one session, E² inputs; a tile of edge E (overlap included, as kernels/tiles.ts cuts them) yields (E − 2·overlap)² useful pixels inside a large image, overlap from MODELS[id].tile',
        'With 2 cores shared with other test runs, thread-count results depend on the load at the time: see the load average',
      ],
      tables,
      goals: [],
      notes: [],
      data,
    },
    started,
  );
}

runIfMain(import.meta.url, run);
