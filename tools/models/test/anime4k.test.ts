import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findManifestEntry } from '@loupe/shared';
import { ANIME4K_PACKAGE, anime4kSources, convertAnime4k } from '../src/anime4k';
import { packageDir } from '../src/manifest/package-info';
import {
  anime4kReference,
  bilinear2xReference,
  type Anime4kJson,
  type RgbPlanes,
} from './support/anime4k-reference';
import { modelsDir, readBuiltManifest } from './support/built-manifest';
import { runImageModel } from './support/onnx-image-run';
import { maxAbsDifference, psnr } from './support/psnr';
import { crop, readOpaqueRgb, toBytes } from './support/rgb-image';

const manifest = readBuiltManifest();
const photo = await readOpaqueRgb(
  join(packageDir('@upscalerjs/esrgan-slim'), 'assets', 'fixture.png'),
);
const unit = (image: { width: number; height: number; data: Float32Array }): RgbPlanes => ({
  ...image,
  data: image.data.map((v) => v / 255),
});
const weights = (file: string) =>
  JSON.parse(readFileSync(join(packageDir(ANIME4K_PACKAGE), file), 'utf8')) as Anime4kJson;

function builtPath(id: string): string {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`${id} was not built: run \`pnpm models\``);
  return join(modelsDir, entry.file);
}

const run = (id: string, image: RgbPlanes) =>
  runImageModel(builtPath(id), { data: image.data, dims: [1, 3, image.height, image.width] });

describe('Anime4K networks baked from websr weights', () => {
  // Non-square and not a multiple of websr's 8x8 workgroups, so every border path runs.
  const small = unit(crop(photo, 40, 30, 24, 20));

  it.each(anime4kSources())(
    '$id matches a plain-loop forward pass of $file',
    async ({ id, file }) => {
      const scale = id.includes('-2x-') ? 2 : 1;
      const out = await run(id, small);
      expect(out.dims).toEqual([1, 3, 20 * scale, 24 * scale]);
      const expected = anime4kReference(weights(file), small);
      expect(
        maxAbsDifference(toBytes(out.data, 255), toBytes(expected.data, 255)),
      ).toBeLessThanOrEqual(1);
      expect(maxAbsDifference(out.data, expected.data)).toBeLessThan(1e-4);
      // The residual reaches several LSB (4 to 12 here), so agreement above is about the network, not the baseline.
      const baseline = scale === 2 ? bilinear2xReference(small).data : small.data;
      expect(maxAbsDifference(out.data, baseline)).toBeGreaterThan(0.01);
    },
  );

  // The other tests read public/models: make sure it is what this code writes today.
  it('every built model is what convertAnime4k writes now', async () => {
    const fresh = await convertAnime4k({ repoRoot: '', permissiveOnly: false, log: () => {} });
    expect(fresh.map((m) => m.id)).toEqual(anime4kSources().map((s) => s.id));
    for (const m of fresh)
      expect(Buffer.from(m.onnx).equals(readFileSync(builtPath(m.id)))).toBe(true);
  });

  it('every model has the shared I/O contract in the manifest', () => {
    for (const { id } of anime4kSources()) {
      const entry = findManifestEntry(manifest, id)!;
      expect(entry.inputs).toEqual([{ name: 'input', dims: [1, 3, 'height', 'width'] }]);
      expect(entry.outputs).toEqual([{ name: 'output', dims: [1, 3, 'out_height', 'out_width'] }]);
      expect(entry.flopsPerInputPixel).toBeGreaterThan(0);
    }
  });

  // Agreement with our own reference cannot catch a shared misreading of websr's layout (e.g.
  // taps transposed: that costs the 'an' models 1 to 1.6 dB here). Upscaling a 2x-downscaled
  // photo must beat plain bilinear clearly; Anime4K's own weights most.
  it.each(anime4kSources().filter(({ id }) => id.includes('-2x-')))(
    '$id beats bilinear on a downscaled photo',
    async ({ id }) => {
      const half = new Float32Array(3 * 64 * 64);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 64; y++)
          for (let x = 0; x < 64; x++) {
            let sum = 0;
            for (let d = 0; d < 4; d++)
              sum += photo.data[c * 128 * 128 + (2 * y + (d >> 1)) * 128 + 2 * x + (d & 1)]!;
            half[c * 64 * 64 + y * 64 + x] = sum / 4 / 255;
          }
      const small = { width: 64, height: 64, data: half };
      const model = psnr(toBytes((await run(id, small)).data, 255), photo.data);
      const bilinear = psnr(toBytes(bilinear2xReference(small).data, 255), photo.data);
      console.log(`${id}: ${model.toFixed(2)} dB vs bilinear ${bilinear.toFixed(2)} dB`);
      expect(model - bilinear).toBeGreaterThan(id.endsWith('-an') ? 1 : 0.5);
    },
  );
});
