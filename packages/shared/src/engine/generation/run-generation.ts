import type { GenerationMetadata } from '../../api/generation';
import { LoupeError } from '../../api/loupe-error';
import {
  clipTokenizer,
  type ClipTokenizer,
  type ClipTokenizerFiles,
} from '../../diffusion/clip-tokenizer';
import { gaussianNoise, imageSeeds, NOISE_STREAMS } from '../../diffusion/noise';
import { resolveSeed } from '../../diffusion/params';
import { sample } from '../../diffusion/sampler';
import { samplingPlan, type SamplingPlanOptions } from '../../diffusion/sampling-plan';
import { resolveSchedulerConfig } from '../../diffusion/scheduler-config';
import { defaultScheduler, SCHEDULERS, type SchedulerId } from '../../diffusion/schedulers';
import { unetDenoiser } from '../../diffusion/unet-denoiser';
import { checkMaskFits, type Mask } from '../../image/mask';
import type { RgbaImage, Size } from '../../image/rgba-image';
import type { DiffusionModelInfo } from '../../models/diffusion-model';
import type {
  GenerateParams,
  InpaintParams,
  Img2ImgParams,
  InstructOpParams,
} from '../../ops/params/generative';
import { checkCapability, type DiffusionAssets, type GenerativeOpId } from './assets';
import type { GenerationContext } from './generation-context';
import { guidanceEmbedding } from './guidance-embedding';
import { latentPreview } from './latent-preview';
import { decodeLatents, encodeImage, runUnet, concat, type UnetRow } from './parts';
import {
  blurMask,
  compositeMasked,
  decodedImage,
  latentMaskMean,
  latentMaskNearest,
  maskPlane,
  paddedSize,
  vaeInput,
} from './pixels';
import { TextEmbedding } from './text-embedding';

/** Latent pixels an input picture's run size is a multiple of: SD's UNet halves three times. */
export const INPUT_LATENT_MULTIPLE = 8;

export type GenerativeRequest =
  | { op: 'generate'; params: GenerateParams }
  | { op: 'img2img'; params: Img2ImgParams }
  | { op: 'instruct'; params: InstructOpParams }
  | { op: 'inpaint'; params: InpaintParams };

/**
 * Denoising steps one image takes: what `samplingPlan` will run (img2img's t_start rule; LCM
 * reschedules instead), so `tiles()` and the progress total are exact before anything loads.
 */
export function generationSteps(r: GenerativeRequest): number {
  const { steps, scheduler } = r.params;
  const strength = r.op === 'img2img' || r.op === 'inpaint' ? r.params.strength : 1;
  if (scheduler === 'lcm') return steps;
  return Math.min(Math.floor(steps * strength), steps);
}

const tokenizers = new WeakMap<ClipTokenizerFiles, ClipTokenizer>();
function tokenizerOf(files: ClipTokenizerFiles): ClipTokenizer {
  let t = tokenizers.get(files);
  if (!t) tokenizers.set(files, (t = clipTokenizer(files)));
  return t;
}

/** The run's sampler: asked for, else the folder's; Karras as asked, else as its config says. */
function samplerOf(
  r: GenerativeRequest,
  assets: DiffusionAssets,
): { scheduler: SchedulerId; karras: boolean } {
  const scheduler = r.params.scheduler ?? defaultScheduler(assets.schedulerConfig);
  const fromConfig = Boolean(
    resolveSchedulerConfig(assets.schedulerConfig, scheduler).use_karras_sigmas,
  );
  const karras = SCHEDULERS[scheduler].karras && (r.params.karras ?? fromConfig);
  return { scheduler, karras };
}

/** Guidance the UNet calls carry: an LCM UNet has it built in (timestep_cond), so never CFG. */
function guidanceOf(r: GenerativeRequest, info: DiffusionModelInfo) {
  const distilled = info.unet.timestepCondDim !== null;
  const text = !distilled && r.params.guidance > 1;
  const image =
    r.op === 'instruct' && !distilled && (r.params.guidance > 1 || r.params.imageGuidance > 1);
  return { text, image, distilled };
}

/**
 * Runs one generative step: prompt → text encoder, the image (if any) → VAE encoder, `count`
 * sampler runs of the UNet (image k from seed + k, alone, so it is the image a single run with
 * that seed makes), VAE decoder → RGBA. Reports a step of progress per denoising step and a
 * latent preview every `previewEvery` steps; records all images and the metadata.
 */
export async function runGeneration(
  r: GenerativeRequest,
  input: RgbaImage | null,
  mask: Mask | undefined,
  g: GenerationContext,
): Promise<RgbaImage> {
  const assets = await g.assets(r.params.model);
  const { info } = assets;
  checkCapability(r.op, info);
  const p = r.params;
  const { scheduler, karras } = samplerOf(r, assets);
  const strength = r.op === 'img2img' || r.op === 'inpaint' ? r.params.strength : 1;
  const planOptions: SamplingPlanOptions = {
    scheduler,
    karras,
    steps: p.steps,
    config: assets.schedulerConfig,
    strength,
  };
  const plan = samplingPlan(planOptions);
  if (plan.steps !== generationSteps({ ...r, params: { ...p, scheduler } } as GenerativeRequest))
    throw new LoupeError(
      'INTERNAL',
      `${r.op} runs ${plan.steps} steps but was planned with fewer or more: resolve the step with resolveGenerationParams before queueing it`,
    );
  const seeds = imageSeeds(resolveSeed(p.seed), p.count);
  const outSize: Size =
    r.op === 'generate' ? { width: r.params.width!, height: r.params.height! } : input!;
  const f = info.vaeScaleFactor;
  // An exported UNet's upsamplers double exactly (the export traced sizes that divide evenly), so
  // a picture runs padded to a multiple of 8 latent pixels (64 px for SD) and is cropped back.
  const run = r.op === 'generate' ? outSize : paddedSize(outSize, f * INPUT_LATENT_MULTIPLE);
  const latent = { height: run.height / f, width: run.width / f };
  const tokenizer = tokenizerOf(assets.tokenizer);
  const guidance = guidanceOf(r, info);
  const metadata = (steps: number): GenerationMetadata => ({
    model: info.id,
    modelSha256: info.sha256,
    seeds,
    steps,
    requestedSteps: p.steps,
    scheduler,
    karras,
    guidance: p.guidance,
    ...(r.op === 'instruct' ? { imageGuidance: r.params.imageGuidance } : {}),
    ...(r.op === 'img2img' || r.op === 'inpaint' ? { strength: r.params.strength } : {}),
    ...(r.op === 'inpaint' ? { maskBlur: r.params.maskBlur } : {}),
    width: run.width,
    height: run.height,
    reproducible: steps === 0 || r.op === 'generate' || info.vaeEncoder?.output !== 'latent-sample',
    prompt: p.prompt,
    negativePrompt: p.negativePrompt,
    droppedTokens: {
      prompt: tokenizer.encode(p.prompt).droppedTokens,
      negativePrompt: tokenizer.encode(p.negativePrompt).droppedTokens,
    },
  });
  const keptMask = r.op === 'inpaint' ? checkMaskFits(mask, input!) : undefined;
  let done = 0;

  // Strength so low that no step runs keeps the picture as it was: no VAE round trip to blur it.
  if (plan.steps === 0 && input) {
    const images = seeds.map(() => ({
      width: input.width,
      height: input.height,
      data: Uint8Array.from(input.data),
    }));
    g.record({ images, metadata: metadata(0) });
    return images[0]!;
  }

  const text = new TextEmbedding(g, info);
  try {
    const images = await denoise(text);
    g.record({
      images,
      metadata: { ...metadata(done / seeds.length), textEmbedding: text.location },
    });
    return images[0]!;
  } finally {
    // Ended, failed or cancelled: the device's copies of the prompts go back either way.
    text.dispose();
  }

  async function denoise(text: TextEmbedding): Promise<RgbaImage[]> {
    const positive = await text.encode(tokenizer, p.prompt);
    const negative =
      guidance.text || guidance.image ? await text.encode(tokenizer, p.negativePrompt) : null;
    const cond = guidance.distilled
      ? guidanceEmbedding(p.guidance, info.unet.timestepCondDim!)
      : null;
    const pixels = input ? vaeInput(input, run) : null;
    const encoded =
      pixels && r.op !== 'inpaint'
        ? await encodeImage(g, info, pixels, run.height, run.width)
        : null;
    const inpaint =
      r.op === 'inpaint'
        ? await inpaintInputs(g, info, keptMask!, r.params.maskBlur, pixels!, run)
        : null;
    const latentChannels = info.latentChannels;
    const plane = latent.height * latent.width;
    const images: RgbaImage[] = [];

    for (const seed of seeds) {
      const initLatents = (raw: Float32Array | null) =>
        raw ? posteriorSample(raw, info, seed, assets.vaeScalingFactor, plane) : undefined;
      const nineChannel = info.unet.inChannels === latentChannels * 2 + 1;
      const init =
        r.op === 'img2img'
          ? initLatents(encoded)
          : r.op === 'inpaint' && (!nineChannel || strength < 1)
            ? initLatents(inpaint!.encodedImage)
            : undefined;
      const extra = extraChannels(
        r.op,
        info,
        encoded,
        inpaint,
        seed,
        assets.vaeScalingFactor,
        plane,
      );
      const unet = async (x: Float32Array, t: number): Promise<Float32Array> => {
        const withExtra = (e: Float32Array | null) => (e ? concat([x, e]) : x);
        if (r.op === 'instruct') {
          const image = withExtra(extra!.image);
          if (!negative)
            return (
              await runUnet(
                g,
                info,
                [{ sample: image, text: positive.states }],
                latent,
                t,
                cond,
                text,
              )
            )[0]!;
          const rows: UnetRow[] = [
            { sample: image, text: positive.states },
            { sample: image, text: negative.states },
            { sample: withExtra(extra!.none), text: negative.states },
          ];
          const [c, i, u] = await runUnet(g, info, rows, latent, t, cond, text);
          const gt = p.guidance;
          const gi = r.params.imageGuidance;
          return u!.map((uv, j) => uv + gt * (c![j]! - i![j]!) + gi * (i![j]! - uv));
        }
        const s = withExtra(extra?.image ?? null);
        if (!negative)
          return (
            await runUnet(g, info, [{ sample: s, text: positive.states }], latent, t, cond, text)
          )[0]!;
        const [u, c] = await runUnet(
          g,
          info,
          [
            { sample: s, text: negative.states },
            { sample: s, text: positive.states },
          ],
          latent,
          t,
          cond,
          text,
        );
        return u!.map((uv, j) => uv + p.guidance * (c![j]! - uv));
      };
      const x = await sample(
        {
          ...planOptions,
          seed,
          shape: [1, latentChannels, latent.height, latent.width],
          init,
          mask: r.op === 'inpaint' && !nineChannel ? inpaint!.latentMask : undefined,
          signal: g.signal,
          onStep: (s) => {
            done++;
            g.stepDone();
            if (g.previewDue() && latentChannels === 4)
              g.preview(latentPreview(s.denoised, latent.width, latent.height));
          },
        },
        unetDenoiser(plan, unet),
      );
      const rgb = await decodeLatents(
        g,
        info,
        x.map((v) => v / assets.vaeScalingFactor),
        run.height,
        run.width,
      );
      const decoded = decodedImage(rgb, run, outSize, input ?? undefined);
      images.push(inpaint ? compositeMasked(input!, decoded, inpaint.compositeMask) : decoded);
    }
    return images;
  }
}

interface InpaintInputs {
  /** The mask the result is composited with: blurred, at the input's size. */
  readonly compositeMask: Mask;
  /** 4-channel models: where latent blending repaints, per latent pixel. */
  readonly latentMask: Float32Array;
  /** 9-channel models: the UNet's mask channel. */
  readonly unetMask: Float32Array;
  readonly encodedImage: Float32Array;
  /** 9-channel models: the VAE encoder's output for the picture with the masked area cleared. */
  readonly encodedMasked: Float32Array | null;
}

async function inpaintInputs(
  g: GenerationContext,
  info: DiffusionModelInfo,
  mask: Mask,
  blur: number,
  pixels: Float32Array,
  run: Size,
): Promise<InpaintInputs> {
  const compositeMask = blurMask(mask, blur);
  const f = info.vaeScaleFactor;
  const soft = maskPlane(compositeMask, run);
  const hard = maskPlane(mask, run);
  const nineChannel = info.unet.inChannels === info.latentChannels * 2 + 1;
  const encodedImage = await encodeImage(g, info, pixels, run.height, run.width);
  let encodedMasked: Float32Array | null = null;
  if (nineChannel) {
    // diffusers: masked_image = image · (mask < ½), in −1 … 1 (so the masked area is mid-grey).
    const plane = run.width * run.height;
    const masked = pixels.map((v, i) => (hard[i % plane]! < 0.5 ? v : 0));
    encodedMasked = await encodeImage(g, info, masked, run.height, run.width);
  }
  return {
    compositeMask,
    latentMask: latentMaskMean(soft, run, f),
    unetMask: latentMaskNearest(hard, run, f),
    encodedImage,
    encodedMasked,
  };
}

/**
 * A latent from the VAE encoder's output: `latent-parameters` (mean and log-variance on
 * channels) is sampled as diffusers' DiagonalGaussianDistribution does, mean + exp(½·logvar)·ε,
 * with ε from the seed's VAE stream and logvar clamped to −30 … 20; `latent-sample` is already
 * a sample. Then × the VAE scaling factor; `mode` takes the mean instead (InstructPix2Pix,
 * which also leaves its image latents unscaled).
 */
function posteriorSample(
  raw: Float32Array,
  info: DiffusionModelInfo,
  seed: number,
  scaling: number,
  plane: number,
  mode = false,
): Float32Array {
  const n = info.latentChannels * plane;
  const scale = mode ? 1 : scaling;
  if (info.vaeEncoder?.output !== 'latent-parameters') return raw.map((v) => v * scale);
  if (mode) return raw.slice(0, n);
  const noise = gaussianNoise(seed, NOISE_STREAMS.vaePosterior, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const logvar = Math.min(20, Math.max(-30, raw[n + i]!));
    out[i] = (raw[i]! + Math.exp(0.5 * logvar) * noise[i]!) * scale;
  }
  return out;
}

/** The channels a UNet takes after the latent: InstructPix2Pix's image, inpainting's mask + image. */
function extraChannels(
  op: GenerativeOpId,
  info: DiffusionModelInfo,
  encoded: Float32Array | null,
  inpaint: InpaintInputs | null,
  seed: number,
  scaling: number,
  plane: number,
): { image: Float32Array; none: Float32Array } | null {
  const c = info.latentChannels;
  if (op === 'instruct') {
    const image = posteriorSample(encoded!, info, seed, scaling, plane, true);
    return { image, none: new Float32Array(image.length) };
  }
  if (op === 'inpaint' && info.unet.inChannels === 2 * c + 1) {
    const masked = posteriorSample(inpaint!.encodedMasked!, info, seed, scaling, plane);
    const image = concat([inpaint!.unetMask, masked]);
    return { image, none: image };
  }
  if (info.unet.inChannels !== c)
    throw new LoupeError(
      'INVALID_PARAMS',
      `model: ${info.id}'s UNet takes ${info.unet.inChannels} channels, which ${op} does not feed`,
      [{ path: 'model', message: `a ${info.unet.inChannels}-channel UNet cannot run ${op}` }],
    );
  return null;
}
