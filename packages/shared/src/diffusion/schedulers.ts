/** The samplers a generative edit can run, in the names the SD tools use. */
export const SCHEDULER_IDS = ['euler', 'euler-ancestral', 'dpmpp-2m', 'ddim', 'lcm'] as const;
export type SchedulerId = (typeof SCHEDULER_IDS)[number];

export interface SchedulerSpec {
  title: string;
  /** The diffusers class whose definitions (timesteps, defaults, update rule) it follows. */
  diffusersClass: string;
  /** Whether Karras sigmas apply: diffusers offers them for Euler and DPM-Solver only. */
  karras: boolean;
  /** Draws fresh noise at each step, so the result is a sample rather than an ODE solution. */
  stochastic: boolean;
}

export const SCHEDULERS: Record<SchedulerId, SchedulerSpec> = {
  euler: {
    title: 'Euler',
    diffusersClass: 'EulerDiscreteScheduler',
    karras: true,
    stochastic: false,
  },
  'euler-ancestral': {
    title: 'Euler ancestral',
    diffusersClass: 'EulerAncestralDiscreteScheduler',
    // diffusers' ancestral class has no Karras option; k-diffusion's does, on Euler's levels.
    karras: true,
    stochastic: true,
  },
  'dpmpp-2m': {
    title: 'DPM-Solver++ 2M',
    diffusersClass: 'DPMSolverMultistepScheduler',
    karras: true,
    stochastic: false,
  },
  ddim: { title: 'DDIM', diffusersClass: 'DDIMScheduler', karras: false, stochastic: false },
  lcm: { title: 'LCM', diffusersClass: 'LCMScheduler', karras: false, stochastic: true },
};

export function isSchedulerId(value: string): value is SchedulerId {
  return (SCHEDULER_IDS as readonly string[]).includes(value);
}

/**
 * The sampler a model folder names in its scheduler_config `_class_name`, when it is one of
 * ours; otherwise DPM-Solver++ 2M, what the SD 1.5 servers Loupe was designed from run.
 *
 * @example defaultScheduler({ _class_name: 'LCMScheduler' }) // 'lcm'
 */
export function defaultScheduler(config: { _class_name?: string | undefined }): SchedulerId {
  const named = SCHEDULER_IDS.find((id) => SCHEDULERS[id].diffusersClass === config._class_name);
  return named ?? 'dpmpp-2m';
}
