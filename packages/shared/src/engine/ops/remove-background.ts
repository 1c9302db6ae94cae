import type { RgbaImage, Size } from '../../image/rgba-image';
import {
  compositeOverColor,
  compositeOverImage,
  cutout,
  matteFromTensor,
  matteImage,
} from '../../kernels/matte';
import { resizePlane, resizeRgba } from '../../kernels/resize';
import { imageToTensor } from '../../kernels/tensor';
import { isnetModelId } from '../../models/model-ids';
import { MODELS } from '../../models/model-specs';
import type { RemoveBackgroundParams } from '../../ops/params/remove-background';
import { modelOutput, type StepContext } from '../context';
import { filterModelTiles, runFilterModel } from '../filter-model';
import { blurRun } from './filters';
import type { OpEngine } from './op-engine';

/** `#rrggbb` (validated by the params schema) as bytes. */
function parseHexColor(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** ISNet sees the whole image at its fixed input size; the mask comes back at the image's size. */
async function predictMatte(image: RgbaImage, p: RemoveBackgroundParams, ctx: StepContext) {
  const model = isnetModelId(p.model);
  const spec = MODELS[model];
  const fixed = spec.fixedInputSize!;
  const all = { x: 0, y: 0, width: fixed.width, height: fixed.height };
  // The matte depends on the picture and the model only: a host that kept it answers at once.
  const result = await ctx.runInputTile(model, () => ({
    [spec.input.name]: imageToTensor(resizeRgba(image, fixed, 'bilinear'), all, spec.input),
  }));
  const mask = modelOutput(spec, result, [1, spec.output.channels, fixed.height, fixed.width]);
  return resizePlane(matteFromTensor(mask, spec.output.normalization), fixed, image, 'bilinear');
}

/**
 * ISNet matte, then one of four outputs: `cutout` (alpha = matte × alpha), `mask` (that alpha
 * as opaque grey), `color` (cutout over a solid colour) or `blur` (cutout over the image
 * blurred by the filter-blur graph, premultiplied so transparent areas stay clean).
 */
export const removeBackgroundEngine: OpEngine<RemoveBackgroundParams> = {
  tiles: (p, size: Size, tileSize) =>
    1 + (p.output === 'blur' ? filterModelTiles(blurRun(p.blurRadius), size, tileSize) : 0),
  async run(image, p, ctx) {
    const matte = await predictMatte(image, p, ctx);
    switch (p.output) {
      case 'cutout':
        return cutout(image, matte);
      case 'mask':
        return matteImage(image, matte);
      case 'color':
        return compositeOverColor(image, matte, parseHexColor(p.color));
      case 'blur':
        return compositeOverImage(
          image,
          matte,
          await runFilterModel(image, blurRun(p.blurRadius), ctx),
        );
    }
  },
};
