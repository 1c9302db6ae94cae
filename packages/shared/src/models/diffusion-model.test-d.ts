import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  DIFFUSION_CAPABILITIES,
  DIFFUSION_KINDS,
  DiffusionCapability,
  DiffusionFolder,
  DiffusionFolderSchema,
  DiffusionKind,
  DiffusionModelInfo,
  ModelsResponse,
} from '../index';

describe('diffusion folders', () => {
  it('kinds and capabilities are closed sets; each kind lists capabilities of the set', () => {
    expectTypeOf<DiffusionKind>().toEqualTypeOf<
      'stable-diffusion' | 'inpainting' | 'instruct-pix2pix'
    >();
    expectTypeOf<DiffusionCapability>().toEqualTypeOf<(typeof DIFFUSION_CAPABILITIES)[number]>();
    expectTypeOf<
      (typeof DIFFUSION_KINDS)[DiffusionKind]['capabilities'][number]
    >().toExtend<DiffusionCapability>();
    expectTypeOf<DiffusionModelInfo['kind']>().toEqualTypeOf<DiffusionKind>();
  });

  it('a folder is ready (with what it can do) or unusable (with why), told apart by status', () => {
    expectTypeOf<z.infer<typeof DiffusionFolderSchema>>().toEqualTypeOf<DiffusionFolder>();
    expectTypeOf<Extract<DiffusionFolder, { status: 'ready' }>>().toExtend<DiffusionModelInfo>();
    expectTypeOf<Extract<DiffusionFolder, { status: 'unusable' }>>().toEqualTypeOf<{
      id: string;
      status: 'unusable';
      problem: string;
    }>();
    expectTypeOf<ModelsResponse['diffusion']['models'][number]>().toEqualTypeOf<DiffusionFolder>();
  });
});
