// MAXIM on a picture in one piece: the package's graph converted for exactly the picture's size
// (rounded up to 64 and mirror-padded, as the engine pads a picture smaller than a tile), then
// one bare CPU session. What tiling approximates: each tile sees only itself, this sees it all.
// Converted per picture here (about 5 s); Loupe ships one 256² graph per task.
import {
  cropRgba,
  imageToTensor,
  padMirrored,
  tensorToImage,
  UNIT_RANGE,
  type MaximTask,
} from '@loupe/shared';
import { packageDir } from '../../tools/models/src/manifest/package-info';
import { readGraphModel } from '../../tools/models/src/tfjs-graph/graph-model';
import { graphToOnnx, INPUT } from '../../tools/models/src/tfjs-graph/graph-to-onnx';
import { maximPackage } from '../../tools/models/src/tfjs-graph/maxim';
import type { RawImage } from './images';
import { rgbOf, toRgba } from './loupe-engine';
import { createSession, releaseSession, runFloat } from './ort';

export async function wholeImageRestore(
  task: MaximTask,
  img: RawImage,
): Promise<{ rgb: Uint8Array; ms: number }> {
  const width = Math.ceil(img.width / 64) * 64;
  const height = Math.ceil(img.height / 64) * 64;
  const source = await readGraphModel(packageDir(maximPackage(task)), 'models/model.json');
  const { onnx } = graphToOnnx(source, {
    name: `maxim-${task}-${width}x${height}`,
    docString: `maxim-${task} for one ${width}×${height} picture (bench only)`,
    height,
    width,
    channels: 3,
  });
  const session = await createSession(onnx);
  try {
    const padded = padMirrored(toRgba(img), width, height);
    const layout = { channels: 3, normalization: UNIT_RANGE } as const;
    const feeds = { [INPUT]: imageToTensor(padded, { x: 0, y: 0, width, height }, layout) };
    const t0 = performance.now();
    const out = Object.values(await runFloat(session, feeds))[0]!;
    const ms = performance.now() - t0;
    tensorToImage(out, { x: 0, y: 0, width, height }, padded, 0, 0, layout);
    return {
      rgb: rgbOf(cropRgba(padded, { x: 0, y: 0, width: img.width, height: img.height })),
      ms,
    };
  } finally {
    await releaseSession(session);
  }
}
