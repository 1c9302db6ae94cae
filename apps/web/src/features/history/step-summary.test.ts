import { OPS, parsePipeline, type Step, type StepInput } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { stepSummary } from './step-summary';

const step = (input: StepInput): Step => {
  const parsed = parsePipeline([input]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value[0]!;
};

describe('stepSummary', () => {
  it('names only the parameters the chosen output uses (issue #12 item 8)', () => {
    // The colour field still holds the value picked before the output was switched to blur.
    const blurred = {
      op: 'remove-background',
      params: { output: 'blur', color: '#3366ff' },
    } as const;
    expect(stepSummary(step(blurred))).toBe('Fast (quint8, 44 MB), Blurred background');
    expect(stepSummary(step({ ...blurred, params: { ...blurred.params, blurRadius: 20 } }))).toBe(
      'Fast (quint8, 44 MB), Blurred background, Background blur 20 px',
    );
    expect(
      stepSummary(
        step({
          op: 'remove-background',
          params: { output: 'color', color: '#3366ff', blurRadius: 30 },
        }),
      ),
    ).toBe('Fast (quint8, 44 MB), Solid colour background, Background colour #3366ff');
  });

  it('a resize by width and height does not name the scale it ignores, and the other way round', () => {
    expect(stepSummary(step({ op: 'resize', params: { mode: 'size', scale: 2, width: 32 } }))).toBe(
      'Width and height, Width 32 px, Lanczos-3',
    );
    expect(
      stepSummary(step({ op: 'resize', params: { mode: 'scale', scale: 2, width: 32 } })),
    ).toBe('Scale factor, Scale 2 ×, Lanczos-3');
  });

  it('parameters without a visibility rule are named when they differ from their default', () => {
    expect(stepSummary(step({ op: 'adjust', params: { exposure: 0.5 } }))).toBe('Exposure 0.5 EV');
    // No parameter to name: the op's own description.
    expect(stepSummary(step({ op: 'invert' }))).toBe(OPS.invert.description);
  });
});
