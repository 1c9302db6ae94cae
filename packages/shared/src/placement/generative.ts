import type { DiffusionModelInfo, DiffusionPart } from '../models/diffusion-model';
import { OPS } from '../ops/catalog';
import type { Step } from '../ops/pipeline';
import { adapterName, isSoftwareAdapter, type LocalDeviceInfo } from './local-device';

/** What placement needs of a diffusion folder: a `DiffusionModelInfo` (GET /api/models) is one. */
export interface DiffusionModelCost {
  readonly id: DiffusionModelInfo['id'];
  readonly parts: { readonly [P in DiffusionPart]: { readonly bytes: number } | null };
}

/** Why a generative edit cannot run in this browser, in the words the reason quotes. */
export type GenerativeProblem =
  | { readonly kind: 'no-webgpu' | 'software-adapter' | 'no-shader-f16'; readonly why: string }
  | {
      readonly kind: 'too-big';
      readonly why: string;
      readonly needMb: number;
      readonly budgetMb: number;
    };

const MiB = 2 ** 20;
/** As policy.ts assumes: Chromium caps deviceMemory at 8 and hides it elsewhere. */
const ASSUMED_DEVICE_MEMORY_GB = 4;
/**
 * Share of device memory a folder's parts may take. Half, not the quarter image edits get: the
 * weights live mostly in GPU memory (on a discrete GPU, not the tab's RAM), and the SD-Turbo
 * pattern this follows fits SD 1.5 fp16 (≈ 2 GB of parts) on an 8 GB device.
 */
const GENERATIVE_MEMORY_FRACTION = 0.5;

const IMAGE_PARTS: readonly DiffusionPart[] = [
  'text_encoder',
  'unet',
  'vae_encoder',
  'vae_decoder',
];
const TEXT_PARTS: readonly DiffusionPart[] = ['text_encoder', 'unet', 'vae_decoder'];

/** The folder each generative step of `steps` runs (its `model` param). */
function generativeSteps(
  steps: readonly Step[],
): { model: string; parts: readonly DiffusionPart[] }[] {
  return steps.flatMap((step) =>
    OPS[step.op].progressUnit === 'step'
      ? [
          {
            model: (step.params as { model: string }).model,
            parts: OPS[step.op].inputs.image === 'none' ? TEXT_PARTS : IMAGE_PARTS,
          },
        ]
      : [],
  );
}

/** True when any step is generative (runs a diffusion folder). */
export function isGenerativePipeline(steps: readonly Step[]): boolean {
  return generativeSteps(steps).length > 0;
}

/**
 * Bytes a folder's parts need in this browser: every part the op runs stays resident between
 * denoising steps, and the largest is held twice while its session is made (fetched bytes and
 * the runtime's copy).
 */
export function generativePartBytes(
  folder: DiffusionModelCost,
  parts: readonly DiffusionPart[],
): number {
  const sizes = parts.map((p) => folder.parts[p]?.bytes ?? 0);
  return sizes.reduce((a, b) => a + b, 0) + Math.max(0, ...sizes);
}

/**
 * The rule for generative edits in the browser (issue #13): only on a hardware WebGPU adapter
 * with `shader-f16`, and only when the folder's parts fit half of device memory
 * (`generativePartBytes`; `navigator.deviceMemory`, 4 GB assumed when hidden). WASM and software
 * adapters are minutes per picture at real sizes. Null when it may run here. `anyAdapter` is the
 * e2e suite's override (see apps/web/README.md, testing): the rule is skipped, nothing else.
 *
 * @example generativeBrowserProblem(noWebgpuLaptop, [generateStep], [sd15])
 *   // { kind: 'no-webgpu', why: 'generative models need a hardware GPU with fp16 in the browser, and this browser has no WebGPU' }
 */
export function generativeBrowserProblem(
  device: LocalDeviceInfo,
  steps: readonly Step[],
  folders: readonly DiffusionModelCost[],
  anyAdapter = false,
): GenerativeProblem | null {
  const used = generativeSteps(steps);
  if (!used.length || anyAdapter) return null;
  const need = 'generative models need a hardware GPU with fp16 in the browser';
  const gpu = device.webgpu;
  if (!gpu) return { kind: 'no-webgpu', why: `${need}, and this browser has no WebGPU` };
  if (isSoftwareAdapter(gpu))
    return { kind: 'software-adapter', why: `${need}; ${adapterName(gpu)} is a software adapter` };
  if (!gpu.shaderF16)
    return { kind: 'no-shader-f16', why: `${need}; adapter ${adapterName(gpu)} lacks shader-f16` };
  const budget =
    (device.deviceMemoryGb ?? ASSUMED_DEVICE_MEMORY_GB) * 1024 * MiB * GENERATIVE_MEMORY_FRACTION;
  for (const { model, parts } of used) {
    const folder = folders.find((f) => f.id === model);
    // An unknown folder is the server's to refuse; here it cannot be priced, so it stays there.
    const bytes = folder ? generativePartBytes(folder, parts) : Infinity;
    if (bytes > budget) {
      const needMb = Number.isFinite(bytes) ? Math.ceil(bytes / MiB) : 0;
      const budgetMb = Math.floor(budget / MiB);
      return {
        kind: 'too-big',
        needMb,
        budgetMb,
        why: folder
          ? `${model}'s parts need ~${needMb} MB in the browser and this device can give them ~${budgetMb} MB`
          : `${model} is not a diffusion model this page knows`,
      };
    }
  }
  return null;
}
