import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../image/rgba-image';
import { imageToTensor, toByte } from '../../kernels/tensor';
import { tileGrid } from '../../kernels/tiles';
import { MAXIM_TILE, MODELS } from '../../models/model-specs';
import { executeStep } from '../execute';
import { MathRunner } from '../testing/math-runner';

/** A smooth picture: neighbouring pixels differ by at most 1 per channel. */
function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([40 + Math.floor(x / 4), 60 + Math.floor(y / 3), 200 - Math.floor(x / 5), 255], i);
    }
  return { width, height, data };
}

/** The largest change of any channel between horizontal neighbours, over the whole picture. */
function largestStep(img: RgbaImage): number {
  let worst = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 1; x < img.width; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * img.width + x) * 4 + c;
        worst = Math.max(worst, Math.abs(img.data[i]! - img.data[i - 4]!));
      }
  return worst;
}

const restore = (img: RgbaImage, runner = new MathRunner()) =>
  executeStep(img, { op: 'restore', params: { task: 'dehaze-outdoor' } }, { runner });

describe('restore (MAXIM tiles)', () => {
  it('shows no seam where two tiles that answer differently meet', async () => {
    const img = gradient(600, 256);
    const spec = MODELS['maxim-dehazing-outdoor'];
    const grid = tileGrid(img, { tile: MAXIM_TILE.size, overlap: MAXIM_TILE.overlap });
    expect(grid.tiles.length).toBe(3);
    // The stand-in's tiles disagree at the first cut by several levels: a cut would show it.
    const runner = new MathRunner();
    const cut = grid.tiles[1]!.valid.x;
    const at = async (i: number) => {
      const tile = grid.tiles[i]!;
      const feeds = { input: imageToTensor(img, tile.input, spec.input) };
      const out = (await runner.run(spec.id, feeds)).output!;
      return toByte(out.data[cut - tile.input.x]! * 255);
    };
    expect(Math.abs((await at(0)) - (await at(1)))).toBeGreaterThanOrEqual(4);

    const { image: out, tiles } = await restore(img);
    expect(tiles).toBe(3);
    expect(largestStep(img)).toBe(1);
    expect(largestStep(out)).toBeLessThanOrEqual(2);

    // And no broad band either: tiles brought to one answer stay near the stand-in's answer for
    // the picture as a whole (feathering alone spreads each tile's own tone over its region).
    const whole = (
      await runner.run(spec.id, {
        input: imageToTensor(img, { x: 0, y: 0, width: img.width, height: img.height }, spec.input),
      })
    ).output!;
    let worst = 0;
    for (let i = 0; i < img.width * img.height; i++)
      for (let c = 0; c < 3; c++)
        worst = Math.max(
          worst,
          Math.abs(
            out.data[i * 4 + c]! - toByte(whole.data[c * img.width * img.height + i]! * 255),
          ),
        );
    // Measured: 7 levels harmonised, 21 feathered only, 21 cut.
    expect(worst).toBeLessThanOrEqual(8);
  });

  it('runs a picture smaller than a tile as one mirrored tile, its answer unchanged', async () => {
    const img = gradient(200, 120);
    const runner = new MathRunner();
    const { image: out, tiles } = await restore(img, runner);
    expect(tiles).toBe(1);
    expect(runner.calls).toEqual([
      { model: 'maxim-dehazing-outdoor', dims: { input: [1, 3, 256, 256] } },
    ]);
    // The stand-in brightens by the tile's own mean: every pixel moves, none by harmonising.
    const again = await restore(img);
    expect(out.data).toEqual(again.image.data);
    expect(out.data).not.toEqual(img.data);
  });
});
