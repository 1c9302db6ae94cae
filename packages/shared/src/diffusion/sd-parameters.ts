import type { z } from 'zod';
import type { GenerationMetadata } from '../api/generation';
import { generationFields, imageGuidanceParam, strengthParam } from './params';
import { SCHEDULER_IDS, SCHEDULERS, type SchedulerId } from './schedulers';

/**
 * The "parameters" text of Stable Diffusion web UI (A1111), the one SD tools read from a PNG's
 * `parameters` chunk, paste into their prompt box, and write themselves (Forge, SD.Next,
 * ComfyUI importers, Civitai). Read from A1111's modules/processing.py (create_infotext) and
 * modules/infotext_utils.py (quote, parse_generation_parameters):
 *
 *     a red fox in the snow, 35mm
 *     Negative prompt: blurry, lowres
 *     Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: sd15
 *
 * The prompt (any number of lines), then `Negative prompt: …` when there is one (it runs to the
 * settings line), then one line of `Key: value` pairs joined by ", ". A value holding a comma, a
 * colon or a line break is written as a JSON string. A reader takes the last line as settings
 * only when it holds at least three pairs; otherwise it is part of the prompt.
 */

/**
 * Each Loupe sampler under the name A1111 gives it. Karras sigmas are written A1111's older way,
 * as a " Karras" suffix, where that sampler had one (every version reads it; 1.9+ splits it off
 * into "Schedule type"); Euler and Euler a never had one, so theirs go in "Schedule type".
 */
export const SD_SAMPLER_NAMES: Record<SchedulerId, { name: string; karrasName?: string }> = {
  euler: { name: 'Euler' },
  'euler-ancestral': { name: 'Euler a' },
  'dpmpp-2m': { name: 'DPM++ 2M', karrasName: 'DPM++ 2M Karras' },
  ddim: { name: 'DDIM' },
  lcm: { name: 'LCM' },
};

/** k-diffusion's function-style aliases that A1111 also accepts (sd_samplers_kdiffusion.py). */
export const SD_SAMPLER_ALIASES: Readonly<
  Record<string, { scheduler: SchedulerId; karras?: true }>
> = {
  k_euler: { scheduler: 'euler' },
  k_euler_a: { scheduler: 'euler-ancestral' },
  k_euler_ancestral: { scheduler: 'euler-ancestral' },
  k_dpmpp_2m: { scheduler: 'dpmpp-2m' },
  k_dpmpp_2m_ka: { scheduler: 'dpmpp-2m', karras: true },
};

/** The characters of a model's sha256 that A1111 writes as "Model hash" (its `shorthash`). */
export const MODEL_HASH_LENGTH = 10;

/**
 * What a generated picture records of how it was made: the values the run used (seed drawn,
 * sampler and Karras resolved from the model's config), not the request's omissions.
 */
export interface GenerationRecord {
  readonly prompt: string;
  readonly negativePrompt?: string;
  readonly steps: number;
  readonly guidance: number;
  readonly seed: number;
  readonly width: number;
  readonly height: number;
  readonly scheduler: SchedulerId;
  readonly karras: boolean;
  /** img2img and inpaint: written as "Denoising strength". */
  readonly strength?: number;
  /** Instruction edits: written as "Image CFG scale". */
  readonly imageGuidance?: number;
  /** The model folder's id, and its sha256 (written as the first 10 hex, "Model hash"). */
  readonly model?: { readonly id: string; readonly sha256?: string };
  /** More settings, written after Loupe's own, e.g. `{ Version: 'Loupe 0.1.0' }`. */
  readonly extra?: Readonly<Record<string, string | number>>;
}

/**
 * The record of picture `index` of a generative run, from what the run reports it ran with (the
 * seed drawn, the sampler resolved), for the picture's `parameters` text.
 *
 * @example formatSdParameters(generationRecord(metadata.generation, metadata.output, 1)) // seed + 1
 */
export function generationRecord(
  generation: GenerationMetadata,
  size: { readonly width: number; readonly height: number },
  index = 0,
): GenerationRecord {
  const g = generation;
  return {
    prompt: g.prompt,
    negativePrompt: g.negativePrompt,
    steps: g.requestedSteps,
    guidance: g.guidance,
    seed: g.seeds[index] ?? g.seeds[0]!,
    width: size.width,
    height: size.height,
    scheduler: g.scheduler,
    karras: g.karras,
    ...(g.strength !== undefined ? { strength: g.strength } : {}),
    ...(g.imageGuidance !== undefined ? { imageGuidance: g.imageGuidance } : {}),
    model: { id: g.model, sha256: g.modelSha256 },
  };
}

/** A1111's settings keys: a word character, then at least one word character, space, - or /. */
const KEY = /^[\p{L}\p{N}_][\p{L}\p{N}_ \-/]+$/u;

/** A1111's quote(): values that would break the line's grammar become JSON strings. */
function quote(value: string): string {
  return /[,:\n]/.test(value) ? JSON.stringify(value) : value;
}

/**
 * The A1111 "parameters" text of a generated picture (the module's note gives the format).
 *
 * @example
 * formatSdParameters({ prompt: 'a fox', steps: 28, guidance: 7.5, seed: 42, width: 512,
 *   height: 512, scheduler: 'dpmpp-2m', karras: true })
 * // 'a fox\nSteps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 42, Size: 512x512'
 */
export function formatSdParameters(record: GenerationRecord): string {
  const sampler = SD_SAMPLER_NAMES[record.scheduler];
  const karrasInName = record.karras && sampler.karrasName !== undefined;
  const settings: [string, string | number | undefined][] = [
    ['Steps', record.steps],
    ['Sampler', karrasInName ? sampler.karrasName : sampler.name],
    ['Schedule type', record.karras && !karrasInName ? 'Karras' : undefined],
    ['CFG scale', record.guidance],
    ['Image CFG scale', record.imageGuidance],
    ['Seed', record.seed],
    ['Size', `${record.width}x${record.height}`],
    ['Model hash', record.model?.sha256?.slice(0, MODEL_HASH_LENGTH)],
    ['Model', record.model?.id],
    ['Denoising strength', record.strength],
  ];
  const own = new Set(settings.map(([key]) => key));
  for (const [key, value] of Object.entries(record.extra ?? {})) {
    if (!KEY.test(key) || own.has(key))
      throw new Error(
        `"${key}" cannot be an extra setting (not a key A1111 reads, or Loupe's own)`,
      );
    settings.push([key, value]);
  }
  const line = settings
    .filter((s): s is [string, string | number] => s[1] !== undefined)
    .map(([key, value]) => `${key}: ${quote(String(value))}`)
    .join(', ');
  const negative = record.negativePrompt ? `\nNegative prompt: ${record.negativePrompt}` : '';
  return `${record.prompt}${negative}\n${line}`.trim();
}

/** The Loupe parameters a parameters text can restore. */
export interface RestoredParams {
  prompt: string;
  negativePrompt: string;
  steps?: number;
  guidance?: number;
  seed?: number;
  width?: number;
  height?: number;
  scheduler?: SchedulerId;
  karras?: boolean;
  strength?: number;
  imageGuidance?: number;
}

/** A setting Loupe could not take, as written, and why. */
export interface UnmappedSetting {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

export interface ParsedSdParameters {
  /** Loupe's parameters where the text's map onto them, each valid by Loupe's own field schema. */
  readonly params: RestoredParams;
  /** "Model" and "Model hash" as written: to match against the configured model folders. */
  readonly model: { readonly name?: string; readonly hash?: string };
  /** Every setting of the settings line, in order, unquoted: unknown keys are kept here. */
  readonly settings: Readonly<Record<string, string>>;
  /** The settings that did not become a Loupe parameter, with the reason. */
  readonly unmapped: UnmappedSetting[];
}

/**
 * One `Key: value` after another, each ended by a comma or the line's end. A value is a JSON
 * string (quotes, with backslash escapes) or runs to the next comma; text between pairs that is
 * not a pair is skipped, as A1111's reader does.
 */
const SETTING = /\s*([\p{L}\p{N}_][\p{L}\p{N}_ \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/gu;

function settingsOf(line: string): [string, string][] {
  return [...line.matchAll(SETTING)].map((m) => [m[1]!, unquote(m[2]!)]);
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}

/**
 * A1111 sampler name (or k-diffusion alias) → Loupe's sampler and whether the name carries Karras.
 *
 * @example sdSampler('DPM++ 2M Karras') // { scheduler: 'dpmpp-2m', karras: true }
 */
export function sdSampler(name: string): { scheduler: SchedulerId; karras?: true } | undefined {
  const alias = SD_SAMPLER_ALIASES[name];
  if (alias) return alias;
  const karras = name.endsWith(' Karras');
  const base = karras ? name.slice(0, -' Karras'.length) : name;
  const scheduler = SCHEDULER_IDS.find((id) => SD_SAMPLER_NAMES[id].name === base);
  if (!scheduler || (karras && !SCHEDULERS[scheduler].karras)) return undefined;
  return karras ? { scheduler, karras } : { scheduler };
}

const number = (value: string) =>
  /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim()) ? Number(value) : NaN;

/**
 * Reads a parameters text, A1111's own or Loupe's, back into Loupe's parameters: prompt and
 * negative prompt (multi-line), steps, CFG scale, image CFG scale, seed, size, sampler with
 * Karras, denoising strength. A value Loupe's schemas refuse (steps 200, a size not a multiple
 * of 8), a sampler Loupe does not have, and every other key are listed in `unmapped`; nothing
 * is dropped silently. Never throws: text that is not parameters comes back as a prompt.
 *
 * @example parseSdParameters('a fox\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1').params
 * // { prompt: 'a fox', negativePrompt: '', steps: 20, scheduler: 'euler-ancestral', guidance: 7, seed: 1 }
 */
export function parseSdParameters(text: string): ParsedSdParameters {
  const lines = text.trim().split('\n');
  let last = lines.pop() ?? '';
  if (settingsOf(last).length < 3) {
    lines.push(last);
    last = '';
  }
  const prompt: string[] = [];
  const negative: string[] = [];
  for (const raw of lines) {
    let line = raw.trim();
    if (negative.length === 0 && line.startsWith('Negative prompt:')) {
      line = line.slice('Negative prompt:'.length).trim();
      negative.push(line);
    } else (negative.length ? negative : prompt).push(line);
  }
  const params: RestoredParams = { prompt: prompt.join('\n'), negativePrompt: negative.join('\n') };
  const settings: Record<string, string> = {};
  const unmapped: UnmappedSetting[] = [];
  const model: { name?: string; hash?: string } = {};
  const refuse = (key: string, value: string, reason: string) =>
    unmapped.push({ key, value, reason });
  /** Sets `field` when Loupe's schema for it accepts the value, else says why not. */
  const take = <F extends keyof RestoredParams>(
    field: F,
    schema: z.ZodType,
    key: string,
    value: string,
    parsed: unknown,
  ) => {
    const checked = schema.safeParse(parsed);
    if (checked.success && checked.data !== undefined)
      params[field] = checked.data as RestoredParams[F];
    else refuse(key, value, checked.error?.issues[0]?.message ?? `not a value for ${field}`);
  };

  let scheduleType: string | undefined;
  for (const [key, value] of settingsOf(last)) {
    settings[key] = value;
    switch (key) {
      case 'Steps':
        take('steps', generationFields.steps, key, value, number(value));
        break;
      case 'CFG scale':
        take('guidance', generationFields.guidance, key, value, number(value));
        break;
      case 'Image CFG scale':
        take('imageGuidance', imageGuidanceParam, key, value, number(value));
        break;
      case 'Denoising strength':
        take('strength', strengthParam, key, value, number(value));
        break;
      case 'Seed':
        take('seed', generationFields.seed, key, value, number(value));
        break;
      case 'Size': {
        const size = /^(\d+)x(\d+)$/.exec(value);
        if (!size) refuse(key, value, 'not a size of the form 512x768');
        else {
          take('width', generationFields.width, key, value, Number(size[1]));
          take('height', generationFields.height, key, value, Number(size[2]));
        }
        break;
      }
      case 'Sampler': {
        const sampler = sdSampler(value);
        if (!sampler) refuse(key, value, `Loupe has no ${value} sampler`);
        else {
          params.scheduler = sampler.scheduler;
          if (sampler.karras) params.karras = true;
        }
        break;
      }
      case 'Schedule type':
        scheduleType = value;
        break;
      case 'Model':
        model.name = value;
        break;
      case 'Model hash':
        model.hash = value.toLowerCase();
        break;
      default:
        refuse(key, value, 'not a Loupe parameter');
    }
  }
  if (scheduleType !== undefined) applyScheduleType(params, scheduleType, refuse);
  return { params, model, settings, unmapped };
}

/** A1111 1.9+'s separate "Schedule type": Karras maps, Automatic defers to the model's config. */
function applyScheduleType(
  params: RestoredParams,
  scheduleType: string,
  refuse: (key: string, value: string, reason: string) => void,
) {
  if (scheduleType === 'Automatic') return;
  if (scheduleType !== 'Karras')
    return refuse('Schedule type', scheduleType, `Loupe has no ${scheduleType} schedule`);
  if (params.scheduler && !SCHEDULERS[params.scheduler].karras)
    return refuse(
      'Schedule type',
      scheduleType,
      `Karras sigmas do not apply to ${SCHEDULERS[params.scheduler].title}`,
    );
  params.karras = true;
}
