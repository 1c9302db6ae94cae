import { z } from 'zod';
import { ESRGAN_SCALES, ESRGAN_SIZES, esrganModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

export const UpscaleParams = z.object({
  model: param(z.enum(ESRGAN_SIZES).default('slim'), {
    title: 'Model',
    description: 'Larger models restore more detail and take longer.',
    'x-control': 'select',
    'x-options': { slim: 'Slim (fast)', medium: 'Medium', thick: 'Thick (best detail)' },
  }),
  scale: param(
    z
      .union(
        ESRGAN_SCALES.map((s) => z.literal(s)) as unknown as [
          z.ZodLiteral<2>,
          z.ZodLiteral<3>,
          z.ZodLiteral<4>,
          z.ZodLiteral<8>,
        ],
      )
      .default(2),
    {
      title: 'Scale',
      'x-unit': '×',
      'x-control': 'select',
      'x-options': { 2: '2×', 3: '3×', 4: '4×', 8: '8×' },
    },
  ),
});
export type UpscaleParams = z.output<typeof UpscaleParams>;

export const upscaleOp = defineOp({
  id: 'upscale',
  title: 'Upscale',
  description: 'Enlarge with an ESRGAN super-resolution model. Transparency is kept.',
  category: 'ai',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: UpscaleParams,
  models: (p) => [esrganModelId(p.model, p.scale)],
  modelParam: 'model',
  outputSize: (s, p) => ({ width: s.width * p.scale, height: s.height * p.scale }),
  cost: (p) => ({
    flopsPerInputPixel: 0,
    // RGB in + RGB out (float32) plus RDN's widest activation (64 ch at LR, 48 ch at HR before the rewrite).
    bytesPerInputPixel: 4 * (3 + 64 + 3 * p.scale * p.scale),
  }),
});
