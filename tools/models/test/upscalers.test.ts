import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ESRGAN_SCALES,
  ESRGAN_SIZES,
  MODELS,
  esrganModelId,
  findManifestEntry,
  type EsrganScale,
  type EsrganSize,
} from '@loupe/shared';
import { packageDir } from '../src/manifest/package-info';
import { onnx } from '../src/onnx/graph-builder';
import { buildUpscaler, esrganPackage } from '../src/tfjs-layers';
import { modelsDir, readBuiltManifest } from './support/built-manifest';
import { runImageModel, type ImageTensor } from './support/onnx-image-run';
import { maxAbsDifference, psnr } from './support/psnr';
import { crop, readOpaqueRgb, toBytes, type RgbImage } from './support/rgb-image';

const MIN_PSNR_DB = 60;
const manifest = readBuiltManifest();

const samplePath = (size: EsrganSize, scale: EsrganScale) =>
  join(packageDir(esrganPackage(size)), 'assets', 'samples', `${scale}x`, 'result.png');
const fixture = (size: EsrganSize) =>
  readOpaqueRgb(join(packageDir(esrganPackage(size)), 'assets', 'fixture.png'));

const ALL = ESRGAN_SIZES.flatMap((size) => ESRGAN_SCALES.map((scale) => ({ size, scale })));
const WITH_SAMPLE = ALL.filter(({ size, scale }) => existsSync(samplePath(size, scale)));

/** The image as the model's input tensor, normalised as MODELS says (RDN 0..255, RRDN 0..1). */
function toInput(size: EsrganSize, scale: EsrganScale, image: RgbImage): ImageTensor {
  const { mean, std } = MODELS[esrganModelId(size, scale)].input.normalization;
  return { data: image.data.map((v) => (v - mean) / std), dims: [1, 3, image.height, image.width] };
}

function toOutputBytes(size: EsrganSize, scale: EsrganScale, out: ImageTensor): Uint8Array {
  const { mean, std } = MODELS[esrganModelId(size, scale)].output.normalization;
  return toBytes(out.data, std, mean);
}

function builtPath(size: EsrganSize, scale: EsrganScale): string {
  const entry = findManifestEntry(manifest, esrganModelId(size, scale));
  if (!entry) throw new Error(`${esrganModelId(size, scale)} was not built: run \`pnpm models\``);
  return join(modelsDir, entry.file);
}

const opTypes = (bytes: Uint8Array) =>
  onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType!);

describe('ESRGAN upscalers converted from @upscalerjs layers models', () => {
  // The packages' samples are the whole 128x128 opaque fixture upscaled in one pass and rounded.
  it.each(WITH_SAMPLE)('$size x$scale reproduces the package sample', async ({ size, scale }) => {
    const out = await runImageModel(
      builtPath(size, scale),
      toInput(size, scale, await fixture(size)),
    );
    const expected = await readOpaqueRgb(samplePath(size, scale));
    expect(out.dims).toEqual([1, 3, 128 * scale, 128 * scale]);
    const db = psnr(toOutputBytes(size, scale, out), expected.data);
    console.log(
      `${esrganModelId(size, scale)}: ${db.toFixed(2)} dB PSNR against ${esrganPackage(size)} sample`,
    );
    expect(db).toBeGreaterThanOrEqual(MIN_PSNR_DB);
  });

  // Every other test here reads public/models: make sure it is what this code writes today.
  it.each(ALL)('$size x$scale was built by the current converter', async ({ size, scale }) => {
    const built = readFileSync(builtPath(size, scale));
    expect(Buffer.from((await buildUpscaler(size, scale)).onnx).equals(built)).toBe(true);
  });

  it('every size and scale is in the manifest with the shared I/O contract', () => {
    for (const { size, scale } of ALL) {
      const entry = findManifestEntry(manifest, esrganModelId(size, scale))!;
      expect(entry.inputs).toEqual([{ name: 'input', dims: [1, 3, 'height', 'width'] }]);
      expect(entry.outputs).toEqual([{ name: 'output', dims: [1, 3, 'out_height', 'out_width'] }]);
      expect(entry.source.files).toContain(`models/x${scale}/model.json`);
    }
  });

  it.each(ALL)(
    '$size x$scale counts 2 x conv MACs per input pixel, the output conv at the output resolution',
    ({ size, scale }) => {
      // Independent count from model.json: every kernel once per input pixel, except the final
      // "SR" conv, which runs after the upsample / pixel shuffle on scale² pixels.
      const json = JSON.parse(
        readFileSync(join(packageDir(esrganPackage(size)), `models/x${scale}/model.json`), 'utf8'),
      ) as {
        weightsManifest: { weights: { name: string; shape: number[] }[] }[];
      };
      let expected = 0;
      for (const w of json.weightsManifest.flatMap((g) => g.weights)) {
        if (!w.name.endsWith('/kernel')) continue;
        const macs = w.shape.reduce((a, b) => a * b, 1);
        expected += 2 * macs * (w.name === 'SR/kernel' ? scale * scale : 1);
      }
      expect(findManifestEntry(manifest, esrganModelId(size, scale))!.flopsPerInputPixel).toBe(
        expected,
      );
    },
  );
});

describe('upsample + conv folded into a low-resolution conv + DepthToSpace', () => {
  const RDN = ALL.filter(({ size }) => size !== 'thick');

  it.each(RDN)(
    '$size x$scale: the built graph is the folded one and equals the literal graph',
    async ({ size, scale }) => {
      const built = new Uint8Array(readFileSync(builtPath(size, scale)));
      expect(opTypes(built)).not.toContain('Resize');
      expect(opTypes(built)).toContain('DepthToSpace');
      const plain = await buildUpscaler(size, scale, { foldUpsampleConv: false });
      expect(opTypes(plain.onnx)).toContain('Resize');
      expect(opTypes(plain.onnx)).not.toContain('DepthToSpace');

      // The whole fixture (every border) and an odd-sized crop (borders that are not tile-aligned).
      const image = await fixture(size);
      for (const input of [image, crop(image, 17, 40, 37, 23)]) {
        const tensor = toInput(size, scale, input);
        const [a, b] = [
          await runImageModel(built, tensor),
          await runImageModel(plain.onnx, tensor),
        ];
        expect(a.dims).toEqual(b.dims);
        // Byte-range outputs: the fold only reorders float sums.
        expect(maxAbsDifference(a.data, b.data)).toBeLessThan(2e-3);
        if (input === image && existsSync(samplePath(size, scale))) {
          const db = psnr(
            toOutputBytes(size, scale, b),
            (await readOpaqueRgb(samplePath(size, scale))).data,
          );
          console.log(
            `${esrganModelId(size, scale)} unfolded: ${db.toFixed(2)} dB PSNR against the sample`,
          );
          expect(db).toBeGreaterThanOrEqual(MIN_PSNR_DB);
        }
      }
    },
  );
});
