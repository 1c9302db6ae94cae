// Benchmark 3: this machine's fp32 matmul rate and memory bandwidth through onnxruntime-node,
// and how much of that rate the upscaler graphs achieve (FLOPs per pixel from the manifest).
import { esrganModelId, type ModelId } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { gflops, msSpread, pct } from './lib/format';
import { matmulGraph, streamBytes, streamGraph } from './lib/graphs';
import { versionsOf } from './lib/machine';
import { loadManifest, modelEntry, modelFile } from './lib/models';
import {
  createSession,
  DEFAULT_SETTINGS,
  releaseSession,
  runFloat,
  type OrtSettings,
} from './lib/ort';
import { writeResult, type Goal, type Table } from './lib/result';
import { interleave, summarize } from './lib/stats';

const NAME = 'efficiency-floor';
const GOAL_FRACTION = 0.5;

export interface Rate {
  label: string;
  medianMs: number;
  rate: number;
  spread: string;
}

/** A size³ MatMul alone, 2 warm-up rounds: the floor other benchmarks compare against too. */
export async function matmulRate(size: number, settings: OrtSettings, reps: number): Promise<Rate> {
  const session = await createSession(matmulGraph(size, size, size), settings);
  const x = { data: new Float32Array(size * size).fill(0.25), dims: [size, size] };
  const t = await interleave({ mm: () => runFloat(session, { x }) }, { warmup: 2, reps });
  await releaseSession(session);
  const s = summarize(t.mm);
  return {
    label: `MatMul ${size}³ (${settings.intraOpNumThreads || 'auto'} threads)`,
    medianMs: s.median,
    rate: (2 * size ** 3) / (s.median / 1000),
    spread: msSpread(s),
  };
}

async function streamRate(count: number, reps: number): Promise<Rate> {
  const session = await createSession(streamGraph(count));
  const a = { data: new Float32Array(count).fill(1), dims: [count] };
  const b = { data: new Float32Array(count).fill(2), dims: [count] };
  const t = await interleave({ add: () => runFloat(session, { a, b }) }, { warmup: 2, reps });
  await releaseSession(session);
  const s = summarize(t.add);
  return {
    label: `ReduceSum(A+B), ${(count * 4) / 2 ** 20} MiB per input`,
    medianMs: s.median,
    rate: streamBytes(count) / (s.median / 1000),
    spread: msSpread(s),
  };
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const reps = quick ? 5 : 11;
  const notes: string[] = [];

  log(NAME, 'matmul and bandwidth');
  const matmuls = [await matmulRate(1024, DEFAULT_SETTINGS, reps)];
  if (!quick) {
    matmuls.push(await matmulRate(2048, DEFAULT_SETTINGS, 5));
    matmuls.push(await matmulRate(1024, { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 }, reps));
  }
  const stream = await streamRate(32 * 2 ** 20, reps);
  const peak = Math.max(...matmuls.map((m) => m.rate));

  const floorTable: Table = {
    title: 'Machine floor (onnxruntime-node CPU EP)',
    columns: ['measurement', 'median ms ±IQR/2', 'rate'],
    rows: [
      ...matmuls.map((m) => [m.label, m.spread, gflops(m.rate)]),
      [stream.label, stream.spread, `${(stream.rate / 1e9).toFixed(1)} GB/s`],
    ],
  };

  // Achieved rate of each upscaler graph, interleaved with a 1024³ matmul at the same thread count
  // so both see the same load. One thread per side is the headline: on a shared 2-core machine a
  // 2-thread run waits at every barrier for a descheduled thread, which hurts the short matmul far
  // more than the long model run and can make the "fraction" exceed 100%.
  const manifest = loadManifest();
  const one: OrtSettings = { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 };
  const mm1 = await createSession(matmulGraph(1024, 1024, 1024), one);
  const mmAuto = await createSession(matmulGraph(1024, 1024, 1024));
  const mmX = { data: new Float32Array(1024 * 1024).fill(0.25), dims: [1024, 1024] };
  const modelRows: string[][] = [];
  const goals: Goal[] = [];
  const perModel: unknown[] = [];
  const cases: [ModelId, number][] = quick
    ? [[esrganModelId('medium', 2), 128]]
    : [
        [esrganModelId('slim', 2), 128],
        [esrganModelId('medium', 2), 128],
        [esrganModelId('medium', 2), 256],
        [esrganModelId('medium', 4), 128],
        // 14.5 MFLOP per input pixel: 64² is already ~60 GFLOP a run.
        [esrganModelId('thick', 2), 64],
      ];
  for (const [id, side] of cases) {
    const entry = modelEntry(manifest, id);
    if (!manifest || !entry) {
      notes.push(`${id}: not in public/models yet, not measured.`);
      continue;
    }
    log(NAME, `${id} at ${side}²`);
    const s1 = await createSession(modelFile(manifest, id), one);
    const sAuto = await createSession(modelFile(manifest, id));
    const input = { data: new Float32Array(3 * side * side).fill(100), dims: [1, 3, side, side] };
    if (id.startsWith('esrgan-thick')) input.data.fill(0.4);
    const t = await interleave(
      {
        model1: () => runFloat(s1, { input }),
        mm1: () => runFloat(mm1, { x: mmX }),
        model: () => runFloat(sAuto, { input }),
        mm: () => runFloat(mmAuto, { x: mmX }),
      },
      { warmup: 1, reps: quick ? 3 : 5 },
    );
    await releaseSession(s1);
    await releaseSession(sAuto);
    const flops = entry.flopsPerInputPixel * side * side;
    const rate = (ms: number[]) => flops / (summarize(ms).median / 1000);
    const mmRate = (ms: number[]) => (2 * 1024 ** 3) / (summarize(ms).median / 1000);
    const fraction1 = rate(t.model1) / mmRate(t.mm1);
    const fractionAuto = rate(t.model) / mmRate(t.mm);
    modelRows.push([
      id,
      `${side}²`,
      pct(fraction1),
      `${gflops(rate(t.model1))} / ${gflops(mmRate(t.mm1))}`,
      pct(fractionAuto),
      `${gflops(rate(t.model))} / ${gflops(mmRate(t.mm))}`,
      `${(entry.flopsPerInputPixel / 1e6).toFixed(2)} M`,
    ]);
    perModel.push({
      id,
      side,
      flopsPerInputPixel: entry.flopsPerInputPixel,
      times: t,
      fraction1,
      fractionAuto,
    });
    if (id === esrganModelId('medium', 2)) {
      goals.push({
        key: 'matmul-fraction',
        goal: `esrgan-medium ×2, ${side}² input, 1 thread each (auto threads: ${pct(fractionAuto)})`,
        target: '≥ 50%',
        measured: pct(fraction1),
        status: fraction1 >= GOAL_FRACTION ? 'met' : 'not met',
      });
    }
  }
  await releaseSession(mm1);
  await releaseSession(mmAuto);

  return writeResult(
    {
      name: NAME,
      title: 'Efficiency against the machine floor',
      quick,
      versions: versionsOf(['onnxruntime-node']),
      conditions: [
        `onnxruntime-node CPU EP, ${DEFAULT_SETTINGS.graphOptimizationLevel} optimisations, default thread pool unless stated`,
        'Model runs are raw sessions on one whole input (no tiling), interleaved with a 1024³ MatMul at the same thread count so the ratio sees the same load; the 1-thread pair is the headline (see the note in efficiency-floor.ts)',
        'achieved = flopsPerInputPixel (manifest, counted from the graph) × pixels / median time',
        `peak matmul rate in this run: ${gflops(peak)}`,
      ],
      tables: [
        {
          title: 'Achieved / measured matmul rate',
          columns: [
            'model',
            'input',
            'achieved / matmul, 1 thread',
            'model / matmul rate, 1 thread',
            'achieved / matmul, auto threads',
            'model / matmul rate, auto threads',
            'FLOPs / input px',
          ],
          rows: modelRows,
        },
        floorTable,
      ],
      goals,
      notes,
      data: { matmuls, stream, perModel },
    },
    started,
  );
}

runIfMain(import.meta.url, run);
