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
import { restoreOp } from './params/restore';
import { sharpenOp } from './params/sharpen';
import { straightenOp } from './params/straighten';
import { upscaleOp } from './params/upscale';

/** Every operation, keyed by id. Adding an OpId without an entry fails the typecheck. */
export const OPS = {
  upscale: upscaleOp,
  'remove-background': removeBackgroundOp,
  'enhance-illustration': enhanceIllustrationOp,
  restore: restoreOp,
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

/**
 * The params an op starts from when none are given: every field's schema default, and nothing
 * for a field without one. For most ops this is `params.parse({})`; a generative op's `model`
 * and `prompt` have no default (a request must name them), so its defaults alone do not parse.
 *
 * @example opDefaults('upscale') // { model: 'slim', scale: 2 }
 * @example opDefaults('generate') // { negativePrompt: '', steps: 28, guidance: 7.5, count: 1 }
 */
export function opDefaults<K extends OpId>(id: K): Partial<OpParams<K>> {
  const shape = OPS[id].params.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const filled = field.safeParse(undefined);
    if (filled.success && filled.data !== undefined) out[key] = filled.data;
  }
  return out as Partial<OpParams<K>>;
}
