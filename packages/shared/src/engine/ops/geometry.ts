import type { CropParams } from '../../ops/params/crop';
import { cropRect } from '../../ops/params/crop';
import {
  FLIP_ORIENTATION,
  ROTATE_ORIENTATION,
  type FlipParams,
  type RotateParams,
} from '../../ops/params/orient';
import { resizedSize, type ResizeParams } from '../../ops/params/resize';
import type { StraightenParams } from '../../ops/params/straighten';
import { cropRgba } from '../../kernels/crop';
import { applyOrientation } from '../../kernels/orientation';
import { resampleRgba } from '../../kernels/resample';
import { straightenRgba } from '../../kernels/straighten';
import type { RgbaImage } from '../../image/rgba-image';
import type { OpEngine } from './op-engine';

/**
 * Geometry runs no model: integer-exact JS kernels (packages/shared/src/kernels), so the
 * browser worker and the server child produce the same bytes. No model call, no tile.
 */
function pixelEngine<P>(run: (image: RgbaImage, params: P) => RgbaImage): OpEngine<P> {
  return {
    tiles: () => 0,
    run: async (image, params) => run(image, params),
  };
}

/** The op's result never aliases its input: the caller may transfer or reuse either. */
const copy = (image: RgbaImage): RgbaImage => ({ ...image, data: Uint8Array.from(image.data) });

export const cropEngine = pixelEngine<CropParams>((image, p) =>
  cropRgba(image, cropRect(image, p)),
);

export const rotateEngine = pixelEngine<RotateParams>((image, p) =>
  applyOrientation(image, ROTATE_ORIENTATION[p.angle]),
);

export const flipEngine = pixelEngine<FlipParams>((image, p) =>
  applyOrientation(image, FLIP_ORIENTATION[p.axis]),
);

export const straightenEngine = pixelEngine<StraightenParams>((image, p) =>
  straightenRgba(image, p.angle, p.interpolation, p.fit),
);

export const resizeEngine = pixelEngine<ResizeParams>((image, p) => {
  const to = resizedSize(image, p);
  return to.width === image.width && to.height === image.height
    ? copy(image)
    : resampleRgba(image, to, p.kernel);
});
