import { z } from 'zod';
import { ISNET_VARIANTS, isnetModelId } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

export const BACKGROUND_OUTPUTS = ['cutout', 'mask', 'color', 'blur'] as const;

const MIN_BLUR = 1;

export const RemoveBackgroundParams = z.object({
  model: param(z.enum(ISNET_VARIANTS).default('quint8'), {
    title: 'Model',
    description: 'ISNet weights (AGPL-3.0). fp16 is more accurate, quint8 is half the download.',
    'x-control': 'select',
    'x-options': { quint8: 'Fast (quint8, 44 MB)', fp16: 'Quality (fp16, 88 MB)' },
  }),
  output: param(z.enum(BACKGROUND_OUTPUTS).default('cutout'), {
    title: 'Output',
    'x-control': 'select',
    'x-options': {
      cutout: 'Cutout (transparent)',
      mask: 'Mask',
      color: 'Solid colour background',
      blur: 'Blurred background',
    },
  }),
  color: param(
    z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #ffffff')
      .default('#ffffff'),
    { title: 'Background colour', 'x-control': 'color', 'x-visible-when': { output: ['color'] } },
  ),
  blurRadius: param(z.number().min(MIN_BLUR).max(64).default(12), {
    title: 'Background blur',
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
    'x-visible-when': { output: ['blur'] },
  }),
});
export type RemoveBackgroundParams = z.output<typeof RemoveBackgroundParams>;

export const removeBackgroundOp = defineOp({
  id: 'remove-background',
  title: 'Remove background',
  description:
    'Separate the subject with ISNet; keep it on transparency, a colour or a blurred backdrop.',
  category: 'ai',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: RemoveBackgroundParams,
  models: (p) => [isnetModelId(p.model)],
  modelParam: 'model',
  outputSize: (s) => s,
  cost: () => ({ flopsPerInputPixel: 0, bytesPerInputPixel: 24 }),
  // ISNet runs once per picture and model (the host keeps its matte): the modes only composite.
  preview: {
    reuses: ['model'],
    scaleParams: (p, k) => ({ ...p, blurRadius: Math.max(MIN_BLUR, p.blurRadius * k) }),
  },
});
