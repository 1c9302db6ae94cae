// Benchmark 1b: which onnxruntime-node settings and tile size make Loupe's upscale fastest on CPU.
import { MODELS, esrganModelId, type EsrganModelId } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { msSpread, ratio } from './lib/format';
import { photoRgb } from './lib/images';
import { toTensor } from './lib/loupe-raw';
import { versionsOf } from './lib/machine';
import { loadManifest, modelFile } from './lib/models';
import { createSession, DEFAULT_SETTINGS, runFloat, settingsLabel, type OrtSettings } from './lib/ort';
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

async function settingsSweep(manifest: NonNullable<ReturnType<typeof loadManifest>>, id: EsrganModelId, side: number, reps: number, names: string[]) {
  const img = await photoRgb(side, side);
  const input = { data: toTensor(img, id), dims: [1, 3, side, side] };
  const sessions = await Promise.all(names.map((n) => createSession(modelFile(manifest, id), SETTINGS[n])));
  const t = await interleave(
    Object.fromEntries(names.map((n, i) => [n, () => runFloat(sessions[i]!, { input })])),
    { warmup: 1, reps },
  );
  for (const s of sessions) await s.release();
  return names.map((n) => ({ name: n, time: summarize(t[n]!), speedup: pairedRatios(t.default!, t[n]!) }));
}

/**
 * Cost per useful input pixel of one tile of T² plus the model's overlap on each side, which
 * the engine recomputes for every tile: (T + 2·overlap)² work for T² pixels of output.
 */
async function tileSweep(manifest: NonNullable<ReturnType<typeof loadManifest>>, id: EsrganModelId, tiles: number[], reps: number) {
  const overlap = MODELS[id].tile!.overlap;
  const session = await createSession(modelFile(manifest, id));
  const inputs = await Promise.all(
    tiles.map(async (T) => {
      const side = T + 2 * overlap;
      return { data: toTensor(await photoRgb(side, side), id), dims: [1, 3, side, side] };
    }),
  );
  const t = await interleave(
    Object.fromEntries(tiles.map((T, i) => [String(T), () => runFloat(session, { input: inputs[i]! })])),
    { warmup: 1, reps },
  );
  await session.release();
  const base = summarize(t['128']!.map((v) => v / 128 ** 2)).median;
  return tiles.map((T) => {
    const perPx = summarize(t[String(T)]!.map((v) => (v * 1000) / T ** 2));
    return { tile: T, overlap, time: summarize(t[String(T)]!), usPerPixel: perPx, vs128: base / (perPx.median / 1000) };
  });
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const tables: Table[] = [];
  const data: Record<string, unknown> = {};
  const models: EsrganModelId[] = quick ? [esrganModelId('slim', 2)] : [esrganModelId('slim', 2), esrganModelId('medium', 2)];
  const names = quick ? ['default', 'threads=1', 'opt=extended (no NCHWc)'] : Object.keys(SETTINGS);
  const side = 128;

  const settingsRows: string[][] = [];
  for (const id of models) {
    log(NAME, `settings on ${id} ${side}²`);
    const res = await settingsSweep(manifest, id, side, quick ? 3 : 5, names);
    data[`settings:${id}`] = res;
    for (const r of res) settingsRows.push([id, r.name, r.name === 'default' ? '1' : ratio(r.speedup), msSpread(r.time)]);
  }
  tables.push({
    title: `onnxruntime-node settings, ${side}² input (speed-up = default time / this time)`,
    columns: ['model', 'setting', 'speed-up vs default', 'ms'],
    rows: settingsRows,
  });

  const tileRows: string[][] = [];
  const tiles = quick ? [64, 128, 256] : [64, 96, 128, 192, 256, 384];
  for (const id of models) {
    log(NAME, `tile sizes on ${id}: ${tiles.join(', ')}`);
    const res = await tileSweep(manifest, id, tiles, quick ? 2 : 3);
    data[`tiles:${id}`] = res;
    for (const r of res) {
      tileRows.push([
        id,
        `${r.tile} (+${r.overlap} each side)`,
        r.tile === 128 ? '1' : `${r.vs128.toFixed(2)}×`,
        `${r.usPerPixel.median.toFixed(2)} µs`,
        `${((r.tile + 2 * r.overlap) ** 2 / r.tile ** 2).toFixed(2)}×`,
        msSpread(r.time),
      ]);
    }
  }
  tables.push({
    title: 'Tile size: cost per useful input pixel, overlap included (speed-up vs the 128 default)',
    columns: ['model', 'tile', 'speed-up vs 128', 'per input px', 'overlap work factor', 'ms per tile'],
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
        'Tile cost: one session, inputs of (T + 2·overlap)², overlap from MODELS[id].tile (what the engine adds around each tile)',
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
