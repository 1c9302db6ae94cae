import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  executeStep,
  type LoupeError,
  OPS,
  type EraseParams,
  type Mask,
  type ModelRunner,
  type RgbaImage,
} from '@loupe/shared';
import { decodeImage } from '../src/image-codec';
import { createInpainter } from '../src/inpainter';

// A real photo (a hibiscus, 1024²) shipped with @upscalerjs/esrgan-thick, which tools/models installs.
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);

// Erase runs no model: a runner that is called is a bug.
const noModels: ModelRunner = {
  run: () => Promise.reject(new Error('erase ran a model')),
};
const inpainter = createInpainter();

const erase = (params: Partial<EraseParams>) => ({
  op: 'erase' as const,
  params: OPS.erase.params.parse(params),
});

const OBJECT = { x: 600, y: 380, width: 90, height: 60 };

async function photo(): Promise<RgbaImage> {
  return (await decodeImage(readFileSync(PHOTO), 1 << 26)).image;
}

/** The photo with a solid magenta rectangle painted over `OBJECT`, and the mask that covers it. */
function withObject(original: RgbaImage): { painted: RgbaImage; mask: Mask } {
  const painted = { ...original, data: Uint8Array.from(original.data) };
  const mask: Mask = {
    width: original.width,
    height: original.height,
    data: new Uint8Array(original.width * original.height),
  };
  for (let y = OBJECT.y; y < OBJECT.y + OBJECT.height; y++)
    for (let x = OBJECT.x; x < OBJECT.x + OBJECT.width; x++) {
      const p = y * original.width + x;
      painted.data.set([255, 0, 255, 255], 4 * p);
      mask.data[p] = 255;
    }
  return { painted, mask };
}

/** Mean absolute RGB difference over the mask's pixels. */
function errorInside(a: RgbaImage, b: RgbaImage, mask: Mask): number {
  let sum = 0;
  let n = 0;
  mask.data.forEach((m, p) => {
    if (!m) return;
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[4 * p + c]! - b.data[4 * p + c]!);
    n += 3;
  });
  return sum / n;
}

function changedOutside(a: RgbaImage, b: RgbaImage, mask: Mask): number {
  let changed = 0;
  mask.data.forEach((m, p) => {
    if (m) return;
    for (let c = 0; c < 4; c++) if (a.data[4 * p + c] !== b.data[4 * p + c]) changed++;
  });
  return changed;
}

describe('erase with OpenCV’s WebAssembly inpaint, on a real photo', () => {
  it.each(['telea', 'ns'] as const)(
    'fills a painted-in object from its surroundings (%s); nothing outside the mask changes',
    async (algorithm) => {
      const original = await photo();
      const { painted, mask } = withObject(original);
      const {
        image: out,
        tiles,
        models,
      } = await executeStep(painted, erase({ algorithm, radius: 5, grow: 0 }), {
        runner: noModels,
        mask,
        inpainter,
      });
      const objectError = errorInside(painted, original, mask);
      const fillError = errorInside(out, original, mask);
      // The magenta block is ~100 levels off the flower; the fill must be far closer than that.
      expect(objectError).toBeGreaterThan(60);
      expect(fillError).toBeLessThan(objectError / 4);
      expect(changedOutside(out, painted, mask)).toBe(0);
      expect({ tiles, models }).toEqual({ tiles: 0, models: [] });
      console.info(
        `erase ${algorithm}: mean abs error in the mask ${fillError.toFixed(1)} (object ${objectError.toFixed(1)})`,
      );
    },
  );

  it('gives the same pixels from the mask’s box as from the whole picture', async () => {
    const { painted, mask } = withObject(await photo());
    const { image: out } = await executeStep(painted, erase({ radius: 5 }), {
      runner: noModels,
      mask,
      inpainter,
    });
    const rgb = new Uint8Array(painted.width * painted.height * 3);
    for (let p = 0; p < mask.data.length; p++)
      rgb.set(painted.data.subarray(4 * p, 4 * p + 3), 3 * p);
    const whole = await inpainter.inpaint({
      image: { width: painted.width, height: painted.height, data: rgb },
      mask,
      algorithm: 'telea',
      radius: 5,
    });
    let differ = 0;
    for (let p = 0; p < mask.data.length; p++)
      for (let c = 0; c < 3; c++) if (whole[3 * p + c] !== out.data[4 * p + c]) differ++;
    expect(differ).toBe(0);
  });

  it('grows the mask by a disc, blends soft mask values and keeps alpha', async () => {
    const size = 40;
    // Grey at alpha 200, with a red 7×7 block around (20, 20) of which only the centre is masked.
    const picture: RgbaImage = {
      width: size,
      height: size,
      data: Uint8Array.from({ length: size * size * 4 }, (_, i) => (i % 4 === 3 ? 200 : 100)),
    };
    for (let y = 17; y <= 23; y++)
      for (let x = 17; x <= 23; x++) picture.data.set([250, 0, 0, 200], 4 * (y * size + x));
    const mask: Mask = { width: size, height: size, data: new Uint8Array(size * size) };
    mask.data[20 * size + 20] = 255;
    const run = async (m: Mask, params: Partial<EraseParams>) =>
      (await executeStep(picture, erase(params), { runner: noModels, mask: m, inpainter })).image;
    const px = (img: RgbaImage, x: number, y: number) =>
      Array.from(img.data.subarray(4 * (y * size + x), 4 * (y * size + x) + 4));
    const grown = await run(mask, { grow: 3 });
    // (23, 20) is on the disc of radius 3 and is filled (no longer red); (23, 23) is not (√18 > 3).
    expect(px(grown, 23, 20)[0]).toBeLessThan(250);
    expect(px(grown, 23, 23)).toEqual([250, 0, 0, 200]);
    expect(px(grown, 20, 20)[3]).toBe(200);
    const full = await run(mask, {});
    const fill = px(full, 20, 20);
    const half = { ...mask, data: Uint8Array.from(mask.data, (v) => (v ? 128 : 0)) };
    const mixed = await run(half, {});
    // Mask 128: 128/255 of the fill and the rest of the red, rounded; alpha untouched.
    const expected = [250, 0, 0].map((v, c) => Math.floor((v * 127 + fill[c]! * 128 + 127) / 255));
    expect(px(mixed, 20, 20)).toEqual([...expected, 200]);
    expect(fill.slice(0, 3)).not.toEqual([250, 0, 0]);
  });

  it('refuses a missing, empty or misfitting mask, naming it', async () => {
    const picture: RgbaImage = { width: 4, height: 2, data: new Uint8Array(32).fill(255) };
    const run = (mask?: Mask) =>
      executeStep(picture, erase({}), {
        runner: noModels,
        inpainter,
        ...(mask ? { mask } : {}),
      }).then(
        () => expect.unreachable('erase ran without a usable mask'),
        (e: unknown) => e as LoupeError,
      );
    const missing = await run();
    const empty = await run({ width: 4, height: 2, data: new Uint8Array(8) });
    const misfit = await run({ width: 2, height: 2, data: new Uint8Array(4).fill(255) });
    expect([missing, empty, misfit].map((e) => [e.code, e.fields?.[0]?.path])).toEqual([
      ['INVALID_REQUEST', 'mask'],
      ['INVALID_PARAMS', 'mask'],
      ['INVALID_PARAMS', 'mask'],
    ]);
    expect(empty.message).toMatch(/empty/);
  });
});
