import { z } from 'zod';
import { ANIME4K_SIZES, ANIME4K_STYLES, type Anime4kModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

export const EnhanceIllustrationParams = z.object({
  mode: param(z.enum(['upscale-2x', 'restore']).default('upscale-2x'), {
    title: 'Mode',
    'x-control': 'select',
    'x-options': { 'upscale-2x': 'Restore and upscale 2×', restore: 'Restore (same size)' },
  }),
  size: param(z.enum(ANIME4K_SIZES).default('m'), {
    title: 'Network size',
    'x-control': 'select',
    'x-options': { s: 'Small (fastest)', m: 'Medium', l: 'Large (sharpest)' },
  }),
  style: param(z.enum(ANIME4K_STYLES).default('an'), {
    title: 'Content',
    description: 'Weights tuned for a kind of picture (upscale only; restore has anime weights).',
    'x-control': 'select',
    'x-options': { an: 'Anime / line art', rl: 'Real life', '3d': '3D render' },
    'x-visible-when': { mode: ['upscale-2x'] },
  }),
});
export type EnhanceIllustrationParams = z.output<typeof EnhanceIllustrationParams>;

export function anime4kModelFor(p: EnhanceIllustrationParams): Anime4kModelId {
  return p.mode === 'restore' ? `anime4k-restore-${p.size}-an` : `anime4k-2x-${p.size}-${p.style}`;
}

export const enhanceIllustrationOp = defineOp({
  id: 'enhance-illustration',
  title: 'Enhance illustration',
  description: 'Anime4K CNN: clean up and sharpen line art and anime, optionally at 2×.',
  category: 'ai',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: EnhanceIllustrationParams,
  models: (p) => [anime4kModelFor(p)],
  outputSize: (s, p) => (p.mode === 'restore' ? s : { width: s.width * 2, height: s.height * 2 }),
  cost: () => ({ flopsPerInputPixel: 0, bytesPerInputPixel: 4 * (3 + 16 + 12) }),
});
