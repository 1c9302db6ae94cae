import type { OpParams } from '../../ops/catalog';
import type { OpId } from '../../ops/op-ids';
import { enhanceIllustrationEngine } from './enhance-illustration';
import { eraseEngine } from './erase';
import {
  adjustEngine,
  blurEngine,
  grayscaleEngine,
  invertEngine,
  sepiaEngine,
  sharpenEngine,
} from './filters';
import { generateEngine, img2imgEngine, inpaintEngine, instructEngine } from './generative';
import { cropEngine, flipEngine, resizeEngine, rotateEngine, straightenEngine } from './geometry';
import type { OpEngine } from './op-engine';
import { removeBackgroundEngine } from './remove-background';
import { restoreEngine } from './restore';
import { upscaleEngine } from './upscale';

/** How each operation runs; an OpId without an entry fails the typecheck. */
export const OP_ENGINES: { readonly [K in OpId]: OpEngine<OpParams<K>> } = {
  upscale: upscaleEngine,
  'remove-background': removeBackgroundEngine,
  'enhance-illustration': enhanceIllustrationEngine,
  restore: restoreEngine,
  adjust: adjustEngine,
  blur: blurEngine,
  sharpen: sharpenEngine,
  grayscale: grayscaleEngine,
  sepia: sepiaEngine,
  invert: invertEngine,
  crop: cropEngine,
  rotate: rotateEngine,
  flip: flipEngine,
  straighten: straightenEngine,
  resize: resizeEngine,
  generate: generateEngine,
  img2img: img2imgEngine,
  instruct: instructEngine,
  inpaint: inpaintEngine,
  erase: eraseEngine,
};

export type { OpEngine } from './op-engine';
