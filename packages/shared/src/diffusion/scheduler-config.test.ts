import { describe, expect, it } from 'vitest';
import {
  defaultKarras,
  parseSchedulerConfig,
  resolveSchedulerConfig,
  SchedulerConfigSchema,
} from './scheduler-config';
import { defaultScheduler } from './schedulers';

describe('scheduler_config.json', () => {
  it('reads what Python json writes, -Infinity included, and keeps unknown keys', () => {
    const config = parseSchedulerConfig(`{
      "_class_name": "DPMSolverMultistepScheduler",
      "algorithm_type": "dpmsolver++",
      "lambda_min_clipped": -Infinity,
      "note": "NaN and -Infinity inside strings stay text",
      "solver_order": 2
    }`);
    expect(config.lambda_min_clipped).toBe(-Infinity);
    expect(config.note).toBe('NaN and -Infinity inside strings stay text');
    expect(config.solver_order).toBe(2);
  });

  it('names each invalid field', () => {
    expect(() => parseSchedulerConfig('{"beta_schedule": "cubic", "steps_offset": -1}')).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMS',
        fields: [
          expect.objectContaining({ path: 'scheduler_config.beta_schedule' }),
          expect.objectContaining({ path: 'scheduler_config.steps_offset' }),
        ],
      }),
    );
    expect(() => parseSchedulerConfig('{"beta_start": 0.1,')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });

  it("fills what the file leaves out from the running class's own defaults, as from_config does", () => {
    const sd15 = SchedulerConfigSchema.parse({
      beta_schedule: 'scaled_linear',
      steps_offset: 1,
      clip_sample: false,
    });
    expect(resolveSchedulerConfig(sd15, 'ddim').timestep_spacing).toBe('leading');
    expect(resolveSchedulerConfig(sd15, 'euler').timestep_spacing).toBe('linspace');
    expect(resolveSchedulerConfig(sd15, 'ddim').set_alpha_to_one).toBe(true);
    expect(resolveSchedulerConfig({}, 'ddim').clip_sample).toBe(true);
    expect(resolveSchedulerConfig({}, 'lcm')).toMatchObject({
      beta_start: 0.00085,
      beta_schedule: 'scaled_linear',
    });
    expect(resolveSchedulerConfig({}, 'euler')).toMatchObject({
      beta_start: 0.0001,
      beta_schedule: 'linear',
    });
  });

  it('ignores a field the running class does not take', () => {
    // DPM-Solver has no sigma_min / clip_sample; DDIM has no Karras range.
    const file = { sigma_min: 0.5, clip_sample: true };
    expect(resolveSchedulerConfig(file, 'dpmpp-2m')).toMatchObject({
      sigma_min: null,
      clip_sample: false,
    });
    expect(resolveSchedulerConfig(file, 'euler').sigma_min).toBe(0.5);
  });

  it('rejects what Loupe does not implement, naming the field', () => {
    expect(() => resolveSchedulerConfig({ thresholding: true }, 'ddim')).toThrow(
      expect.objectContaining({
        fields: [expect.objectContaining({ path: 'scheduler_config.thresholding' })],
      }),
    );
    expect(() => resolveSchedulerConfig({ interpolation_type: 'log_linear' }, 'euler')).toThrow(
      /interpolation_type/,
    );
    expect(() => resolveSchedulerConfig({ trained_betas: [0.1, 0.2] }, 'euler')).toThrow(
      /trained_betas/,
    );
  });

  it("takes Karras sigmas from the folder's config where the sampler has them", () => {
    expect(defaultKarras({ use_karras_sigmas: true }, 'dpmpp-2m')).toBe(true);
    expect(defaultKarras({ use_karras_sigmas: true }, 'ddim')).toBe(false);
    // Euler ancestral's diffusers class has no such field, so the file's value is not its.
    expect(defaultKarras({ use_karras_sigmas: true }, 'euler-ancestral')).toBe(false);
    expect(defaultKarras({}, 'euler')).toBe(false);
  });

  it('picks the sampler the folder names, else DPM-Solver++ 2M', () => {
    expect(defaultScheduler({ _class_name: 'LCMScheduler' })).toBe('lcm');
    expect(defaultScheduler({ _class_name: 'EulerAncestralDiscreteScheduler' })).toBe(
      'euler-ancestral',
    );
    expect(defaultScheduler({ _class_name: 'PNDMScheduler' })).toBe('dpmpp-2m');
  });
});
