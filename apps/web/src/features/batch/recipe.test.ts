import type { Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { hasRecipe, recipePlan, sameSteps } from './recipe';

const invert: Step = { op: 'invert', params: {} };
const gray: Step = { op: 'grayscale', params: { amount: 100 } };
const blur: Step = { op: 'blur', params: { radius: 4 } };
const blur2: Step = { op: 'blur', params: { radius: 2 } };

describe('the batch recipe', () => {
  it('compares steps by op and every parameter, in any key order', () => {
    const a = { op: 'adjust', params: { exposure: 1, contrast: 0 } } as unknown as Step;
    const b = { op: 'adjust', params: { contrast: 0, exposure: 1 } } as unknown as Step;
    expect(sameSteps([a], [b])).toBe(true);
    expect(sameSteps([blur], [blur2])).toBe(false);
    expect(sameSteps([blur], [blur, blur])).toBe(false);
  });

  it('gives a fresh file all of it, and a file with its first steps only the rest', () => {
    expect(recipePlan([], {}, [invert, gray])).toEqual({
      base: -1,
      steps: [invert, gray],
      recipeBase: -1,
    });
    expect(recipePlan([invert], {}, [invert, gray])).toEqual({
      base: 0,
      steps: [gray],
      recipeBase: -1,
    });
  });

  it('does nothing to a file that shows it already', () => {
    expect(recipePlan([invert, gray], {}, [invert, gray])).toBeNull();
    const applied = { recipeBase: 0, recipeApplied: [invert] };
    expect(recipePlan([blur, invert], applied, [invert])).toBeNull();
    expect(hasRecipe([blur, invert], applied, [invert])).toBe(true);
    expect(hasRecipe([], {}, [])).toBe(false);
  });

  it('replaces what the previous Apply put there, never the file’s own steps', () => {
    // Own step blur, then the old recipe [invert]; the recipe is now [gray].
    const applied = { recipeBase: 0, recipeApplied: [invert] };
    expect(recipePlan([blur, invert], applied, [gray])).toEqual({
      base: 0,
      steps: [gray],
      recipeBase: 0,
    });
    // Once the user adds a step after the Apply, those steps are theirs: the recipe goes after.
    expect(recipePlan([blur, invert, blur2], applied, [gray])).toEqual({
      base: 2,
      steps: [gray],
      recipeBase: 2,
    });
  });

  it('puts the recipe after the steps of a file edited by hand', () => {
    expect(recipePlan([blur], {}, [invert])).toEqual({ base: 0, steps: [invert], recipeBase: 0 });
  });
});
