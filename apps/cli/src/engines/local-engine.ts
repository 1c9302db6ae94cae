import {
  LoupeError,
  UPLOAD_LIMIT_DEFAULTS as LIMITS,
  pipelineInputIssues,
  pipelineMaskIssues,
  pipelineSizes,
  type GenerativeOpId,
  type Mask,
  type ModelManifest,
  type ServerEpPreference,
  type Size,
  type Step,
} from '@loupe/shared';
import { ModelResidency, chooseEp, readManifest, runPipeline } from '@loupe/runtime-node';
import {
  decodeImage,
  decodeMask,
  encodeImage,
  readHeader,
  readMaskHeader,
  withParametersText,
  resolveCompression,
} from '@loupe/runtime-node/image-codec';
import type { EditCall, Engine } from './engine';
import { LocalDiffusion } from './local-diffusion';

export interface LocalEngineOptions {
  modelsDir: string;
  diffusionDir?: string | undefined;
  ep: ServerEpPreference;
  /** A device failure mid-run (the run itself reran on CPU). */
  onWarning(message: string): void;
}

/** The server's refusals of a result too large, checked from the header before decoding. */
function checkSizes(steps: Step[], input: Size, format: string): void {
  const misfits = pipelineInputIssues(steps, input);
  if (misfits.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `Some parameters do not fit the ${input.width}×${input.height} image: ${misfits.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      misfits,
    );
  const sizes = pipelineSizes(steps, input);
  sizes.forEach((size, i) => {
    if (size.width * size.height > LIMITS.maxOutputPixels)
      throw new LoupeError(
        'OUTPUT_TOO_LARGE',
        `Step ${i + 1} (${steps[i]!.op}) would produce ${size.width}×${size.height}; the limit is ${LIMITS.maxOutputPixels / 1e6} MP`,
      );
  });
  const last = sizes.at(-1) ?? input;
  if (format === 'webp' && last.width * last.height > LIMITS.maxWebpOutputPixels)
    throw new LoupeError(
      'OUTPUT_TOO_LARGE',
      `WebP results are limited to ${(LIMITS.maxWebpOutputPixels / 1e6).toFixed(1)} MP and this one is ${last.width}×${last.height}; use --format png or jpeg`,
    );
}

/** The call's mask, checked against its steps and image as the server checks it, then decoded. */
async function maskFor(call: EditCall, image: Size | undefined): Promise<Mask | undefined> {
  const header = call.mask ? await readMaskHeader(call.mask, LIMITS.maxInputPixels) : undefined;
  const issues = pipelineMaskIssues(call.steps, image ?? { width: 0, height: 0 }, header);
  if (issues.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `The mask does not fit this edit: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  return call.mask && header ? decodeMask(call.mask, LIMITS.maxInputPixels, header) : undefined;
}

/**
 * Runs on this machine, with no server: the same decode, engine run path (runtime-node's
 * runPipeline, which the server's inference child calls), limits and encoder settings as the
 * server, so the same input gives the same bytes.
 */
export async function createLocalEngine(options: LocalEngineOptions): Promise<Engine> {
  const choice = await chooseEp(options.ep);
  const ep = choice.ep === 'webgpu' || choice.ep === 'cuda' ? choice.ep : 'cpu';
  let manifest: ModelManifest;
  try {
    manifest = await readManifest(options.modelsDir);
  } catch {
    // As the server's child: ops that need no model still run; the others fail naming the fix.
    manifest = { version: 1, generatedAt: '', permissiveOnly: false, models: [] };
  }
  const residency = new ModelResidency(manifest, options.modelsDir, ep);
  const diffusion = new LocalDiffusion(options.diffusionDir, ep);

  async function edit(call: EditCall): Promise<Uint8Array> {
    const header = call.bytes ? await readHeader(call.bytes, LIMITS.maxInputPixels) : undefined;
    checkSizes(call.steps, header ?? { width: 0, height: 0 }, call.encoding.format);
    const mask = await maskFor(call, header);
    const decoded =
      call.bytes && header
        ? (await decodeImage(call.bytes, LIMITS.maxInputPixels, header)).image
        : undefined;
    const outcome = await runPipeline({
      image: decoded,
      steps: call.steps,
      ...(mask ? { mask } : {}),
      residency,
      manifest,
      modelsDir: options.modelsDir,
      diffusion: {
        sessions: diffusion.sessions,
        assets: diffusion.assetsOf,
        paths: diffusion.pathOf,
      },
      signal: call.signal,
      onProgress: call.onProgress,
      onDeviceLost: (reason) => options.onWarning(`${ep} failed, continuing on CPU: ${reason}`),
    });
    if (call.signal.aborted) throw new LoupeError('CANCELLED');
    const { image } = outcome;
    const { format, quality } = call.encoding;
    const compression = resolveCompression(call.encoding.compression, image);
    const output = withParametersText({ format, quality, compression }, outcome.generation, image);
    const bytes = await encodeImage(image, output);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  return {
    mode: 'in-process',
    prepare: (steps) => diffusion.resolve(steps),
    edit,
    defaultDiffusionModel: (op: GenerativeOpId) => diffusion.firstFor(op),
    async close() {
      await residency.apply('release');
      await diffusion.close();
    },
  };
}
