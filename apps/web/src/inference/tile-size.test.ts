import { MODELS, parsePipeline, type Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { maxTileEdge, tileSizeForAdapter } from './tile-size';

const steps = (raw: unknown): Step[] => {
  const r = parsePipeline(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const MiB = 2 ** 20;
// WebGPU's guaranteed minimums (spec "Limits"): what a weak adapter may offer.
const SPEC_MINIMUM = { maxBufferSize: 256 * MiB, maxStorageBufferBindingSize: 128 * MiB };
const SWIFTSHADER = { maxBufferSize: 1024 * MiB, maxStorageBufferBindingSize: 1024 * MiB };
const TINY = { maxBufferSize: 4 * MiB, maxStorageBufferBindingSize: 4 * MiB };

describe('maxTileEdge', () => {
  it('fits the smaller of the two limits, rounded down to 8', () => {
    // ESRGAN slim x2 works on 4·(3 + 64 + 12) = 316 B per input pixel.
    expect(maxTileEdge(SPEC_MINIMUM, 316)).toBe(648); // √(128 MiB / 316) = 651.7
    expect(
      maxTileEdge({ maxBufferSize: 4 * MiB, maxStorageBufferBindingSize: 1024 * MiB }, 316),
    ).toBe(112);
  });
});

describe('tileSizeForAdapter', () => {
  it('keeps each model its own tile when the limits allow it', () => {
    const tile = tileSizeForAdapter(
      steps([{ op: 'upscale' }, { op: 'enhance-illustration' }]),
      SWIFTSHADER,
    );
    expect(tile(MODELS['esrgan-slim-x2'])).toBeUndefined();
    expect(tile(MODELS['anime4k-2x-m-an'])).toBeUndefined();
  });

  it('shrinks a tiled model under tight limits, but never below what its overlap needs', () => {
    expect(tileSizeForAdapter(steps([{ op: 'upscale' }]), TINY)(MODELS['esrgan-slim-x2'])).toBe(
      112,
    );
    // thick x8: 4·(3 + 64 + 192) = 1036 B/px → 56, below 2·32 + 8 = 72.
    expect(
      tileSizeForAdapter(
        steps([{ op: 'upscale', params: { model: 'thick', scale: 8 } }]),
        TINY,
      )(MODELS['esrgan-thick-x8']),
    ).toBe(72);
  });

  it('caps filters at the edge the limits allow and ignores models the pipeline does not use', () => {
    const tile = tileSizeForAdapter(steps([{ op: 'invert' }]), SPEC_MINIMUM);
    expect(tile(MODELS['filter-color-matrix'])).toBe(2048); // √(128 MiB / 32 B) = 2048
    expect(tile(MODELS['esrgan-slim-x2'])).toBeUndefined();
  });
});
