import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  parsePipeline,
  type OP_IDS,
  type OpId,
  type OpParams,
  type OPS,
  type ParseResult,
  type Step,
  type StepInput,
  type UpscaleParams,
} from '../index';

describe('the operation catalog’s derived types', () => {
  it('has one OpId per entry of OP_IDS, and OPS has an entry for each', () => {
    expectTypeOf<OpId>().toEqualTypeOf<(typeof OP_IDS)[number]>();
    expectTypeOf<keyof typeof OPS>().toEqualTypeOf<OpId>();
    expectTypeOf<OpId>().toEqualTypeOf<
      | 'upscale'
      | 'remove-background'
      | 'enhance-illustration'
      | 'restore'
      | 'adjust'
      | 'blur'
      | 'sharpen'
      | 'grayscale'
      | 'sepia'
      | 'invert'
      | 'crop'
      | 'rotate'
      | 'flip'
      | 'straighten'
      | 'resize'
      | 'generate'
      | 'img2img'
      | 'instruct'
      | 'inpaint'
      | 'erase'
    >();
  });

  it('types each op’s params as its schema’s output (defaults filled in)', () => {
    expectTypeOf<OpParams<'upscale'>>().toEqualTypeOf<UpscaleParams>();
    expectTypeOf<OpParams<'upscale'>>().toEqualTypeOf<{
      model: 'slim' | 'medium' | 'thick';
      scale: 2 | 3 | 4 | 8;
    }>();
    expectTypeOf<OpParams<'blur'>>().toEqualTypeOf<z.output<(typeof OPS)['blur']['params']>>();
    expectTypeOf<OpParams<'invert'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<OpParams<'rotate'>>().toEqualTypeOf<{ angle: 90 | 180 | 270 }>();
    expectTypeOf<OpParams<'resize'>['kernel']>().toEqualTypeOf<
      'nearest' | 'bilinear' | 'bicubic' | 'lanczos3'
    >();
  });

  it('makes a Step a union tagged by op, whose params are that op’s', () => {
    expectTypeOf<Step['op']>().toEqualTypeOf<OpId>();
    expectTypeOf<Extract<Step, { op: 'upscale' }>['params']>().toEqualTypeOf<UpscaleParams>();
    expectTypeOf<{ op: 'upscale'; params: { model: 'slim'; scale: 4 } }>().toExtend<Step>();
    expectTypeOf<{ op: 'upscale'; params: { model: 'slim'; scale: 5 } }>().not.toExtend<Step>();
    expectTypeOf<{ op: 'blur'; params: UpscaleParams }>().not.toExtend<Step>();
  });

  it('takes a StepInput as it arrives over the wire: a known op, params unchecked and optional', () => {
    expectTypeOf<StepInput>().toEqualTypeOf<{ op: OpId; params?: Record<string, unknown> }>();
    expectTypeOf<{ op: 'explode' }>().not.toExtend<StepInput>();
    expectTypeOf(parsePipeline).returns.toEqualTypeOf<ParseResult<Step[]>>();
  });
});
