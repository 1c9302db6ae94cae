import type {
  GenerateParams,
  Img2ImgParams,
  InpaintParams,
  InstructOpParams,
} from '../../ops/params/generative';
import { generationSteps, runGeneration } from '../generation/run-generation';
import type { OpEngine } from './op-engine';

// One unit of progress per denoising step of every image: exact before any model loads.

export const generateEngine: OpEngine<GenerateParams> = {
  tiles: (p) => generationSteps({ op: 'generate', params: p }) * p.count,
  run: (_image, p, ctx) =>
    runGeneration({ op: 'generate', params: p }, null, undefined, ctx.generation),
};

export const img2imgEngine: OpEngine<Img2ImgParams> = {
  tiles: (p) => generationSteps({ op: 'img2img', params: p }) * p.count,
  run: (image, p, ctx) =>
    runGeneration({ op: 'img2img', params: p }, image, undefined, ctx.generation),
};

export const instructEngine: OpEngine<InstructOpParams> = {
  tiles: (p) => generationSteps({ op: 'instruct', params: p }) * p.count,
  run: (image, p, ctx) =>
    runGeneration({ op: 'instruct', params: p }, image, undefined, ctx.generation),
};

export const inpaintEngine: OpEngine<InpaintParams> = {
  tiles: (p) => generationSteps({ op: 'inpaint', params: p }) * p.count,
  run: (image, p, ctx) =>
    runGeneration({ op: 'inpaint', params: p }, image, ctx.mask, ctx.generation),
};
