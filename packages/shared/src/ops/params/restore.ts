import { z } from 'zod';
import { maximModelId, type MaximModelId, type MaximTask } from '../../models/model-ids';
import { defineOp } from '../op-spec';
import { param } from '../param-meta';

/** The restoration tasks in the user's words, each one MAXIM package. */
export const RESTORE_TASKS = [
  'deblur',
  'denoise',
  'dehaze-outdoor',
  'dehaze-indoor',
  'derain',
  'low-light',
  'retouch',
] as const;
export type RestoreTask = (typeof RESTORE_TASKS)[number];

export const RESTORE_TASK_MODELS: Record<RestoreTask, MaximTask> = {
  deblur: 'deblurring',
  denoise: 'denoising',
  'dehaze-outdoor': 'dehazing-outdoor',
  'dehaze-indoor': 'dehazing-indoor',
  derain: 'deraining',
  'low-light': 'enhancement',
  retouch: 'retouching',
};

export const RestoreParams = z.object({
  task: param(z.enum(RESTORE_TASKS).default('deblur'), {
    title: 'Task',
    description: 'Each task is its own MAXIM network (22 M parameters), trained for that defect.',
    'x-control': 'select',
    'x-options': {
      deblur: 'Deblur (motion and defocus)',
      denoise: 'Denoise',
      'dehaze-outdoor': 'Dehaze (outdoor)',
      'dehaze-indoor': 'Dehaze (indoor)',
      derain: 'Remove rain streaks',
      'low-light': 'Brighten low light',
      retouch: 'Retouch (tone and colour)',
    },
  }),
});
export type RestoreParams = z.output<typeof RestoreParams>;

export const restoreModelFor = (p: RestoreParams): MaximModelId =>
  maximModelId(RESTORE_TASK_MODELS[p.task]);

export const restoreOp = defineOp({
  id: 'restore',
  title: 'Restore photo',
  description:
    'MAXIM: remove blur, noise, haze or rain, brighten a dark photo or retouch it. Same size; transparency is kept.',
  category: 'ai',
  inputs: { image: 'required' },
  progressUnit: 'tile',
  params: RestoreParams,
  models: (p) => [restoreModelFor(p)],
  modelParam: 'task',
  outputSize: (s) => s,
  cost: () => ({
    flopsPerInputPixel: 0,
    // Measured on the server runtime (CPU EP, ORT 1.29): one 256² tile (65,536 px) raises RSS by 904 MB
    // over the open session for deblurring (3 stages), 823 MB for deraining (2): ~14 kB/px.
    bytesPerInputPixel: 14_000,
  }),
});
