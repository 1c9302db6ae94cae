import type { DiffusionCapability, DiffusionFolder } from './diffusion-model';

/**
 * What a generative op asks of the diffusion folder its `model` param names: any one of these
 * capabilities (inpaint runs on an inpainting UNet, or as masked img2img on a 4-channel one).
 *
 * @example DIFFUSION_OP_CAPABILITIES.instruct // ['instruct']
 */
export const DIFFUSION_OP_CAPABILITIES = {
  generate: ['text-to-image'],
  img2img: ['img2img'],
  instruct: ['instruct'],
  inpaint: ['inpaint', 'masked-img2img'],
} as const satisfies Record<string, readonly DiffusionCapability[]>;
export type DiffusionOpId = keyof typeof DIFFUSION_OP_CAPABILITIES;

export function isDiffusionOp(op: string): op is DiffusionOpId {
  return Object.hasOwn(DIFFUSION_OP_CAPABILITIES, op);
}

/** Why `folder` cannot run `op`, in words that say what to pick instead; undefined when it can. */
export function diffusionMisfit(op: DiffusionOpId, folder: DiffusionFolder): string | undefined {
  if (folder.status === 'unusable')
    return `diffusion model '${folder.id}' is not usable: ${folder.problem}`;
  const needs: readonly DiffusionCapability[] = DIFFUSION_OP_CAPABILITIES[op];
  if (needs.some((c) => folder.capabilities.includes(c))) return undefined;
  const has = folder.capabilities.length ? folder.capabilities.join(', ') : 'nothing';
  return `diffusion model '${folder.id}' cannot run ${op} (it needs ${needs.join(' or ')}; this model does ${has})`;
}
