import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeBackground } from '@imgly/background-removal-node';
import { BENCH_DIR } from './machine';

/** imgly's model names for the same ISNet weights Loupe converts. */
export const IMGLY_MODEL = { 'isnet-quint8': 'small', 'isnet-fp16': 'medium' } as const;

// Its default publicPath is relative to the current directory; point it at the installed dist.
const publicPath = pathToFileURL(
  path.join(BENCH_DIR, 'node_modules/@imgly/background-removal-node/dist') + '/',
).href;

/** The peer end to end, as its README shows it: encoded image in, PNG with alpha out. */
export async function imglyRemoveBackground(
  jpeg: Buffer,
  model: 'small' | 'medium',
): Promise<Uint8Array> {
  const blob = await removeBackground(new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), {
    publicPath,
    model,
    output: { format: 'image/png', quality: 0.8 },
  });
  return new Uint8Array(await blob.arrayBuffer());
}

/** The onnxruntime-node imgly resolves (its own pinned ~1.17, not the bench's). */
export function imglyOrtVersion(): string {
  const pkgDir = realpathSync(path.join(BENCH_DIR, 'node_modules/@imgly/background-removal-node'));
  const ortPkg = path.join(pkgDir, '..', '..', 'onnxruntime-node', 'package.json');
  return (JSON.parse(readFileSync(ortPkg, 'utf8')) as { version: string }).version;
}
