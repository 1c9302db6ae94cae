import type { z } from 'zod';
import type { OpId } from './op-ids';
import type { OpSpec } from './op-spec';
import { adjustOp } from './params/adjust';
import { blurOp } from './params/blur';
import { grayscaleOp, invertOp, sepiaOp } from './params/color-filters';
import { cropOp } from './params/crop';
import { enhanceIllustrationOp } from './params/enhance-illustration';
import { eraseOp } from './params/erase';
import { generateOp, img2imgOp, inpaintOp, instructOp } from './params/generative';
import { flipOp, rotateOp } from './params/orient';
import { removeBackgroundOp } from './params/remove-background';
import { resizeOp } from './params/resize';
import { sharpenOp } from './params/sharpen';
import { straightenOp } from './params/straighten';
import { upscaleOp } from './params/upscale';

/** Every operation, keyed by id. Adding an OpId without an entry fails the typecheck. */
export const OPS = {
  upscale: upscaleOp,
  'remove-background': removeBackgroundOp,
  'enhance-illustration': enhanceIllustrationOp,
  adjust: adjustOp,
  blur: blurOp,
  sharpen: sharpenOp,
  grayscale: grayscaleOp,
  sepia: sepiaOp,
  invert: invertOp,
  crop: cropOp,
  rotate: rotateOp,
  flip: flipOp,
  straighten: straightenOp,
  resize: resizeOp,
  generate: generateOp,
  img2img: img2imgOp,
  instruct: instructOp,
  inpaint: inpaintOp,
  erase: eraseOp,
} as const satisfies Record<OpId, OpSpec>;

export type OpParams<K extends OpId> =
  (typeof OPS)[K] extends OpSpec<infer S> ? z.output<S> : never;
