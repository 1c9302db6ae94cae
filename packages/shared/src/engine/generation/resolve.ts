import { defaultScheduler } from '../../diffusion/schedulers';
import { resolveSeed } from '../../diffusion/params';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import type { Step } from '../../ops/pipeline';
import { checkCapability, isGenerativeOp } from './assets';

/**
 * The size a text-to-image run makes: the one asked for, else the model's native size.
 *
 * @example resolveGenerationSize({ width: 640 }, info) // { width: 640, height: 512 } for SD 1.5
 */
export function resolveGenerationSize(
  p: { width?: number | undefined; height?: number | undefined },
  info: DiffusionModelInfo,
): { width: number; height: number } {
  return { width: p.width ?? info.nativeSize.width, height: p.height ?? info.nativeSize.height };
}

/**
 * A generative step made exact before it is queued, from the folder it names: text-to-image's
 * size (native when omitted), the seed (a random one when omitted, so a retry or a rerun on the
 * other runtime makes the same picture and the result can report it) and the sampler (the
 * folder's own when omitted, which fixes how many steps run). Other steps pass through. Throws
 * INVALID_PARAMS naming `model` when the folder cannot run the op.
 *
 * @example resolveGenerationParams({ op: 'generate', params }, info).params
 *   // { …params, width: 512, height: 512, seed: 2840, scheduler: 'dpmpp-2m' }
 */
export function resolveGenerationParams<S extends Step>(step: S, info: DiffusionModelInfo): S {
  if (!isGenerativeOp(step.op)) return step;
  checkCapability(step.op, info);
  const p = step.params as Extract<
    Step,
    { op: 'generate' | 'img2img' | 'instruct' | 'inpaint' }
  >['params'];
  const resolved = {
    ...p,
    seed: resolveSeed(p.seed),
    scheduler: p.scheduler ?? defaultScheduler({ _class_name: info.scheduler.className }),
    ...(step.op === 'generate'
      ? resolveGenerationSize(p as { width?: number; height?: number }, info)
      : {}),
  };
  return { ...step, params: resolved };
}
