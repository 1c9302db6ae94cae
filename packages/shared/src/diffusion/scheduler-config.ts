import { z } from 'zod';
import { LoupeError } from '../api/loupe-error';
import { SCHEDULERS, type SchedulerId } from './schedulers';

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaSchedule = (typeof BETA_SCHEDULES)[number];
export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];
export const PREDICTION_TYPES = ['epsilon', 'v_prediction', 'sample'] as const;
export type PredictionType = (typeof PREDICTION_TYPES)[number];

// The fields Loupe reads; `SchedulerConfigSchema` documents them.
const fields = {
  _class_name: z.string().optional(),
  num_train_timesteps: z.number().int().min(2).max(100_000).optional(),
  beta_start: z.number().positive().lt(1).optional(),
  beta_end: z.number().positive().lt(1).optional(),
  beta_schedule: z.enum(BETA_SCHEDULES).optional(),
  trained_betas: z.array(z.number().positive().max(1)).nullable().optional(),
  timestep_spacing: z.enum(TIMESTEP_SPACINGS).optional(),
  steps_offset: z.number().int().min(0).optional(),
  prediction_type: z.enum(PREDICTION_TYPES).optional(),
  rescale_betas_zero_snr: z.boolean().optional(),
  clip_sample: z.boolean().optional(),
  clip_sample_range: z.number().positive().optional(),
  set_alpha_to_one: z.boolean().optional(),
  thresholding: z.boolean().optional(),
  original_inference_steps: z.number().int().positive().optional(),
  timestep_scaling: z.number().positive().optional(),
  use_karras_sigmas: z.boolean().nullable().optional(),
  sigma_min: z.number().positive().nullable().optional(),
  sigma_max: z.number().positive().nullable().optional(),
  final_sigmas_type: z.enum(['zero', 'sigma_min']).optional(),
  timestep_type: z.enum(['discrete', 'continuous']).optional(),
  interpolation_type: z.enum(['linear', 'log_linear']).optional(),
  solver_type: z.enum(['midpoint', 'heun']).optional(),
  lower_order_final: z.boolean().optional(),
  euler_at_final: z.boolean().optional(),
  // Python's json writes diffusers' default, -inf, as the bare token -Infinity.
  lambda_min_clipped: z.union([z.number(), z.literal(-Infinity)]).optional(),
};
/**
 * A model folder's `scheduler/scheduler_config.json`: the fields of diffusers' scheduler configs
 * that change what Loupe's samplers compute. Every field is optional, because diffusers fills a
 * missing one from the defaults of the class that runs (see `resolveSchedulerConfig`); keys Loupe
 * does not read (`skip_prk_steps`, `_diffusers_version`, …) pass through untouched.
 *
 * @example SchedulerConfigSchema.parse({ _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear',
 *   beta_start: 0.00085, beta_end: 0.012, steps_offset: 1, skip_prk_steps: true })
 */
export const SchedulerConfigSchema = z.looseObject(fields);
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

type KnownFields = z.infer<z.ZodObject<typeof fields>>;
type KnownKey = Exclude<keyof KnownFields, '_class_name'>;
/** Every field with the value that applies to one scheduler. */
export type ResolvedSchedulerConfig = {
  readonly [K in KnownKey]-?: Exclude<KnownFields[K], undefined>;
};

const BASE = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: 'linear',
  trained_betas: null,
  steps_offset: 0,
  prediction_type: 'epsilon',
  rescale_betas_zero_snr: false,
} as const;

/**
 * Each class's own defaults, for the fields its constructor takes (from diffusers' sources). A field
 * a class does not take is not read from the file for it, as diffusers' `from_config` drops it.
 */
const CLASS_DEFAULTS: Record<SchedulerId, Partial<ResolvedSchedulerConfig>> = {
  euler: {
    ...BASE,
    timestep_spacing: 'linspace',
    use_karras_sigmas: false,
    sigma_min: null,
    sigma_max: null,
    final_sigmas_type: 'zero',
    timestep_type: 'discrete',
    interpolation_type: 'linear',
  },
  'euler-ancestral': { ...BASE, timestep_spacing: 'linspace' },
  'dpmpp-2m': {
    ...BASE,
    timestep_spacing: 'linspace',
    thresholding: false,
    use_karras_sigmas: false,
    final_sigmas_type: 'zero',
    solver_type: 'midpoint',
    lower_order_final: true,
    euler_at_final: false,
    lambda_min_clipped: -Infinity,
  },
  ddim: {
    ...BASE,
    timestep_spacing: 'leading',
    clip_sample: true,
    clip_sample_range: 1,
    set_alpha_to_one: true,
    thresholding: false,
  },
  lcm: {
    ...BASE,
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    timestep_spacing: 'leading',
    original_inference_steps: 50,
    clip_sample: false,
    clip_sample_range: 1,
    set_alpha_to_one: true,
    thresholding: false,
    timestep_scaling: 10,
  },
};

/** What a field means for a class that does not have it: the behaviour that class always has. */
const INERT: ResolvedSchedulerConfig = {
  ...BASE,
  timestep_spacing: 'linspace',
  clip_sample: false,
  clip_sample_range: 1,
  set_alpha_to_one: true,
  thresholding: false,
  original_inference_steps: 50,
  timestep_scaling: 10,
  use_karras_sigmas: false,
  sigma_min: null,
  sigma_max: null,
  final_sigmas_type: 'zero',
  timestep_type: 'discrete',
  interpolation_type: 'linear',
  solver_type: 'midpoint',
  lower_order_final: true,
  euler_at_final: false,
  lambda_min_clipped: -Infinity,
};

const invalid = (field: string, message: string) =>
  new LoupeError('INVALID_PARAMS', `scheduler_config ${field}: ${message}`, [
    { path: `scheduler_config.${field}`, message },
  ]);

/**
 * The config one scheduler runs with: the file's value for each field that scheduler's diffusers
 * class takes, that class's default otherwise. Throws INVALID_PARAMS for a combination diffusers
 * would reject or Loupe does not implement.
 *
 * @example resolveSchedulerConfig({ steps_offset: 1 }, 'ddim').timestep_spacing // 'leading'
 * @example resolveSchedulerConfig({ steps_offset: 1 }, 'euler').timestep_spacing // 'linspace'
 */
export function resolveSchedulerConfig(
  file: SchedulerConfig,
  scheduler: SchedulerId,
): ResolvedSchedulerConfig {
  const defaults = CLASS_DEFAULTS[scheduler];
  const taken = Object.fromEntries(
    Object.keys(defaults).flatMap((k) => {
      const v = (file as KnownFields)[k as KnownKey];
      return v === undefined ? [] : [[k, v]];
    }),
  );
  const c: ResolvedSchedulerConfig = { ...INERT, ...defaults, ...taken };
  if (c.trained_betas && c.trained_betas.length !== c.num_train_timesteps)
    throw invalid(
      'trained_betas',
      `has ${c.trained_betas.length} values for ${c.num_train_timesteps} timesteps`,
    );
  if (c.thresholding)
    throw invalid('thresholding', 'dynamic thresholding (pixel-space models) is not supported');
  if (c.interpolation_type !== 'linear')
    throw invalid(
      'interpolation_type',
      `only "linear" is supported, got "${c.interpolation_type}"`,
    );
  if (scheduler === 'lcm' && c.original_inference_steps > c.num_train_timesteps)
    throw invalid(
      'original_inference_steps',
      `cannot exceed num_train_timesteps (${c.num_train_timesteps})`,
    );
  return c;
}

/**
 * Whether a run uses Karras sigmas when the request leaves it open: the folder's
 * `use_karras_sigmas`, for the schedulers that have them.
 *
 * @example defaultKarras({ use_karras_sigmas: true }, 'dpmpp-2m') // true
 */
export function defaultKarras(file: SchedulerConfig, scheduler: SchedulerId): boolean {
  return (
    SCHEDULERS[scheduler].karras &&
    resolveSchedulerConfig(file, scheduler).use_karras_sigmas === true
  );
}

/**
 * Parses scheduler_config.json text as Python's json module writes it: besides JSON, the bare
 * tokens NaN, Infinity and -Infinity (a saved DPMSolverMultistepScheduler carries
 * `"lambda_min_clipped": -Infinity`), which `JSON.parse` rejects.
 *
 * @example parseSchedulerConfig('{"lambda_min_clipped": -Infinity}').lambda_min_clipped // -Infinity
 */
export function parseSchedulerConfig(text: string): SchedulerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(quotePythonNumbers(text), (_k, v: unknown) =>
      typeof v === 'string' && v in PYTHON_NUMBERS ? PYTHON_NUMBERS[v] : v,
    );
  } catch (e) {
    throw new LoupeError(
      'INVALID_REQUEST',
      `scheduler_config.json is not JSON: ${(e as Error).message}`,
    );
  }
  const parsed = SchedulerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      path: ['scheduler_config', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new LoupeError('INVALID_PARAMS', 'scheduler_config.json has invalid fields', fields);
  }
  return parsed.data;
}

// Private-use sentinels: a real config string never holds them, so the reviver maps only ours.
const PYTHON_NUMBERS: Record<string, number> = {
  '\uE000NaN': NaN,
  '\uE000Infinity': Infinity,
  '\uE000-Infinity': -Infinity,
};

/** Quotes NaN / Infinity / -Infinity where they stand as values, leaving string contents alone. */
function quotePythonNumbers(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
    if (token) {
      out += JSON.stringify(`\uE000${token}`);
      i += token.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
