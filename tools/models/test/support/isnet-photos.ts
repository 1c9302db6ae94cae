import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { packageDir } from '../../src/manifest/package-info';

export interface TestPhoto {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly mime: 'image/png' | 'image/jpeg';
  readonly encoded: Uint8Array;
}

/** A file inside a package that only pnpm's store holds (no workspace package of ours depends on it here). */
function pnpmStoreFile(storePrefix: string, packageName: string, relative: string): string {
  const store = join(packageDir('vitest'), '..', '.pnpm');
  const entry = readdirSync(store).find((d) => d.startsWith(storePrefix));
  if (!entry) throw new Error(`${storePrefix}* is not in ${store}`);
  return join(store, entry, 'node_modules', packageName, relative);
}

/**
 * Real photos shipped in installed npm packages, at several sizes and aspect ratios: a hibiscus
 * (@upscalerjs/esrgan-thick's 8x sample, 1024²) and a red "SAMPLE" stamp on white
 * (@fastify/static's example image, 500²). Resized with sharp and re-encoded as PNG or JPEG.
 */
export async function isnetTestPhotos(): Promise<TestPhoto[]> {
  const flower = join(
    packageDir('@upscalerjs/esrgan-thick'),
    'assets',
    'samples',
    '8x',
    'result.png',
  );
  const stamp = pnpmStoreFile(
    '@fastify+static@',
    '@fastify/static',
    'example/public/images/sample.jpg',
  );
  const variants: [string, string, number, number, 'image/png' | 'image/jpeg'][] = [
    ['hibiscus 1024x1024', flower, 1024, 1024, 'image/png'],
    ['hibiscus 300x450', flower, 300, 450, 'image/png'],
    ['stamp 500x500', stamp, 500, 500, 'image/jpeg'],
    ['stamp 800x320', stamp, 800, 320, 'image/png'],
  ];
  return Promise.all(
    variants.map(async ([name, path, width, height, mime]) => {
      const resized = sharp(path).resize(width, height, { fit: 'cover' });
      const encoded = await (
        mime === 'image/png' ? resized.png() : resized.jpeg({ quality: 92 })
      ).toBuffer();
      return { name, width, height, mime, encoded: new Uint8Array(encoded) };
    }),
  );
}
