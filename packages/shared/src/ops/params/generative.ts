import { z } from 'zod';
import {
  GENERATION_SIZE,
  generationFields,
  imageGuidanceParam,
  karrasOnlyWhereDefined,
  strengthParam,
} from '../../diffusion/params';
import type { Size } from '../../image/rgba-image';
import { defineOp, type InputIssue, type OpCost } from '../op-spec';
import { param } from '../param-meta';

/** The diffusion folder an op runs: its id. Which folders exist is the host's to say. */
const modelParam = param(
  z
    .string({ error: 'model must name a diffusion model (a folder id from /api/models)' })
    .min(1, { error: 'model must name a diffusion model (a folder id from /api/models)' })
    .max(255, { error: 'model must be at most 255 characters' }),
  { title: 'Model', description: 'A diffusion model folder, by its id in /api/models.' },
);

const maskBlurParam = param(
  z
    .number({ error: 'maskBlur must be a number from 0 to 64' })
    .int({ error: 'maskBlur must be a whole number from 0 to 64' })
    .min(0, { error: 'maskBlur must be at least 0' })
    .max(64, { error: 'maskBlur must be at most 64' })
    .default(4),
  {
    title: 'Mask blur',
    description: 'Feathers the mask edge by about this many pixels; 0 keeps it hard.',
    'x-unit': 'px',
    'x-step': 1,
    'x-control': 'slider',
  },
);

// diffusers' inpainting pipeline repaints the masked area from pure noise by default.
const inpaintStrengthParam = param(strengthParam.removeDefault().default(1), {
  title: 'Strength',
  description: 'How much of the masked area to repaint: 1 starts it from noise.',
  'x-step': 0.01,
  'x-control': 'slider',
});

// An input image fixes the size, so only text-to-image takes width and height.
const { width, height, ...imageFields } = generationFields;

export const GenerateParams = z
  .object({ model: modelParam, ...imageFields, width, height })
  .superRefine(karrasOnlyWhereDefined);
export type GenerateParams = z.output<typeof GenerateParams>;

export const Img2ImgParams = z
  .object({ model: modelParam, ...imageFields, strength: strengthParam })
  .superRefine(karrasOnlyWhereDefined);
export type Img2ImgParams = z.output<typeof Img2ImgParams>;

export const InstructOpParams = z
  .object({ model: modelParam, ...imageFields, imageGuidance: imageGuidanceParam })
  .superRefine(karrasOnlyWhereDefined);
export type InstructOpParams = z.output<typeof InstructOpParams>;

export const InpaintParams = z
  .object({
    model: modelParam,
    ...imageFields,
    strength: inpaintStrengthParam,
    maskBlur: maskBlurParam,
  })
  .superRefine(karrasOnlyWhereDefined);
export type InpaintParams = z.output<typeof InpaintParams>;

/**
 * Working memory per output pixel, roughly: the UNet's widest activations at latent size plus
 * the VAE decoder's full-resolution ones (SD 1.5 in float32). Compute comes from the model.
 */
const GENERATIVE_COST: OpCost = { flopsPerInputPixel: 0, bytesPerInputPixel: 4 * 512 };

/** Input pictures this small or smaller are refused: there is nothing for a UNet to see. */
export const MIN_INPUT_SIDE = 16;

/** An input picture runs padded (see `paddedSize`), so any side up to the generation maximum fits. */
function inputSizeIssues(input: Size): InputIssue[] {
  const { max } = GENERATION_SIZE;
  const min = MIN_INPUT_SIDE;
  const fits = (side: number) => side >= min && side <= max;
  if (fits(input.width) && fits(input.height)) return [];
  return [
    {
      param: 'image',
      message: `is ${input.width}×${input.height}; generative edits take sides from ${min} to ${max} px`,
    },
  ];
}

const common = {
  category: 'generative',
  progressUnit: 'step',
  // The folder is named by the `model` param, not a built-in ModelId; the host checks it exists.
  models: () => [],
  cost: () => GENERATIVE_COST,
} as const;

export const generateOp = defineOp({
  ...common,
  id: 'generate',
  title: 'Generate',
  description: 'Make a new picture from a prompt with a diffusion model (text to image).',
  inputs: { image: 'none', prompt: 'required' },
  params: GenerateParams,
  // Exact once the host has resolved the size (`resolveGenerationParams`); unresolved is refused.
  outputSize: (_input, p) => ({ width: p.width ?? 0, height: p.height ?? 0 }),
  inputIssues: (_input, p) =>
    [
      ...(p.width === undefined ? ['width'] : []),
      ...(p.height === undefined ? ['height'] : []),
    ].map((field) => ({
      param: field,
      message: "must be set before the run: the host fills in the model's native size",
    })),
});

export const img2imgOp = defineOp({
  ...common,
  id: 'img2img',
  title: 'Image to image',
  description: 'Repaint the picture from a prompt; strength says how much.',
  inputs: { image: 'required', prompt: 'required' },
  params: Img2ImgParams,
  outputSize: (input) => ({ width: input.width, height: input.height }),
  inputIssues: inputSizeIssues,
});

export const instructOp = defineOp({
  ...common,
  id: 'instruct',
  title: 'Instruction edit',
  description: 'Edit the picture as an instruction says ("make it snow"), with InstructPix2Pix.',
  inputs: { image: 'required', prompt: 'required' },
  params: InstructOpParams,
  outputSize: (input) => ({ width: input.width, height: input.height }),
  inputIssues: inputSizeIssues,
});

export const inpaintOp = defineOp({
  ...common,
  id: 'inpaint',
  title: 'Inpaint',
  description:
    'Repaint the masked area from a prompt; the rest of the picture stays exactly as it was.',
  inputs: { image: 'required', mask: 'required', prompt: 'required' },
  params: InpaintParams,
  outputSize: (input) => ({ width: input.width, height: input.height }),
  inputIssues: inputSizeIssues,
});
