import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { IsnetVariant } from '@loupe/shared';
import { packageDir } from '../../src/manifest/package-info';

/** imgly's names for the two ISNet exports in @imgly/background-removal-data. */
const IMGLY_MODEL: Record<IsnetVariant, 'small' | 'medium'> = { quint8: 'small', fp16: 'medium' };

type RemoveBackground = (
  image: Blob,
  config: { publicPath: string; model: 'small' | 'medium'; output: { format: 'image/x-rgba8' } },
) => Promise<Blob>;

/**
 * The alpha channel @imgly/background-removal-node 1.4.5 computes for an encoded image, with its chunks
 * read from the local @imgly/background-removal-data package (file:// publicPath, no network).
 * `removeBackground` with raw RGBA output, because its `image/x-alpha8` path rejects 1-channel
 * masks ("Only 4-channel images are supported").
 */
export async function imglyAlpha(
  encoded: Uint8Array,
  mime: string,
  variant: IsnetVariant,
): Promise<Uint8Array> {
  const { removeBackground } = (await import('@imgly/background-removal-node')) as unknown as {
    removeBackground: RemoveBackground;
  };
  const publicPath = `${pathToFileURL(join(packageDir('@imgly/background-removal-data'), 'dist')).href}/`;
  const blob = await removeBackground(new Blob([encoded], { type: mime }), {
    publicPath,
    model: IMGLY_MODEL[variant],
    output: { format: 'image/x-rgba8' },
  });
  const rgba = new Uint8Array(await blob.arrayBuffer());
  return Uint8Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i + 3]!);
}
