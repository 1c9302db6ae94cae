import { createHash } from 'node:crypto';
import { MODELS, type ManifestEntry } from '@loupe/shared';
import type { BuiltModel } from '../build-context';
import { readGraphIo } from './graph-io';
import { packageVersion } from './package-info';

export const modelFileName = (id: string) => `${id}.onnx`;

/** The manifest row for a converted model: what was written, where it came from, how to call it. */
export function manifestEntry(model: BuiltModel): ManifestEntry {
  const spec = MODELS[model.id];
  const { inputs, outputs } = readGraphIo(model.onnx);
  const recommendedTile = model.recommendedTile ?? spec.tile?.size;
  return {
    id: model.id,
    file: modelFileName(model.id),
    bytes: model.onnx.byteLength,
    sha256: createHash('sha256').update(model.onnx).digest('hex'),
    source: {
      package: model.sourcePackage,
      version: packageVersion(model.sourcePackage),
      files: [...model.sourceFiles],
    },
    license: spec.license,
    inputs,
    outputs,
    scale: spec.scale,
    flopsPerInputPixel: model.flopsPerInputPixel,
    ...(recommendedTile ? { recommendedTile } : {}),
  };
}
