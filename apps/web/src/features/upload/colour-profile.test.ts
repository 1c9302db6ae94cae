import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ImageFormat } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { hasColourProfile } from './colour-profile';

/** The slice of sharp's API these tests make files with (sharp's types live with the server). */
interface SharpImage {
  withIccProfile(profile: string): SharpImage;
  toFormat(format: string): SharpImage;
  toBuffer(): Promise<Uint8Array>;
}
type Sharp = (options: {
  create: { width: number; height: number; channels: 3; background: object };
}) => SharpImage;

// sharp is the server's dependency: real files with and without an embedded profile.
const sharp = createRequire(join(import.meta.dirname, '../../../../server/package.json'))(
  'sharp',
) as Sharp;

const picture = () =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 200, g: 40, b: 90 } } });

async function file(
  format: 'png' | 'jpeg' | 'webp' | 'gif',
  profile: boolean,
): Promise<Uint8Array> {
  const p = profile ? picture().withIccProfile('p3') : picture();
  return new Uint8Array(await p.toFormat(format).toBuffer());
}

describe('hasColourProfile', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('reads a %s file’s embedded ICC profile', async (f) => {
    expect(hasColourProfile(await file(f, true), f)).toBe(true);
    expect(hasColourProfile(await file(f, false), f)).toBe(false);
  });

  it('GIF has no profile to apply; AVIF and BMP are not read, so they count as having one', async () => {
    expect(hasColourProfile(await file('gif', false), 'gif')).toBe(false);
    for (const f of ['avif', 'bmp'] as ImageFormat[])
      expect(hasColourProfile(new Uint8Array(64), f)).toBe(true);
  });

  it('a file cut short before its image data counts as having one', async () => {
    const png = await file('png', false);
    expect(hasColourProfile(png.subarray(0, 40), 'png')).toBe(true);
    const jpeg = await file('jpeg', false);
    expect(hasColourProfile(jpeg.subarray(0, 30), 'jpeg')).toBe(true);
  });
});
