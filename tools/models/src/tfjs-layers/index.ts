import {
  ESRGAN_SCALES,
  ESRGAN_SIZES,
  esrganModelId,
  type EsrganScale,
  type EsrganSize,
} from '@loupe/shared';
import type { BuiltModel, Converter } from '../build-context';
import { onnx } from '../onnx/graph-builder';
import { convFlopsByScale } from '../onnx/conv-flops-by-scale';
import { packageDir } from '../manifest/package-info';
import { readLayersModel } from './layers-model';
import { layersToOnnx } from './layers-to-onnx';

export const esrganPackage = (size: EsrganSize) => `@upscalerjs/esrgan-${size}`;

export interface UpscalerBuildOptions {
  /** See LayersToOnnxOptions.foldUpsampleConv; tests turn it off to compare with the literal graph. */
  readonly foldUpsampleConv?: boolean;
}

/**
 * One ESRGAN model from its package's models/x<scale>/model.json. RDN (slim, medium) works on
 * 0..255 and RRDN (thick) on 0..1, as the packages ship them; the graph does not rescale.
 *
 * @example
 *   const m = await buildUpscaler('slim', 4); // m.id === 'esrgan-slim-x4'
 */
export async function buildUpscaler(
  size: EsrganSize,
  scale: EsrganScale,
  options: UpscalerBuildOptions = {},
): Promise<BuiltModel> {
  const pkg = esrganPackage(size);
  const id = esrganModelId(size, scale);
  const source = await readLayersModel(packageDir(pkg), `models/x${scale}/model.json`);
  const bytes = layersToOnnx(source, {
    name: id,
    docString: `${id}: converted from ${pkg} models/x${scale}/model.json by @loupe/model-tools.`,
    ...options,
  });
  return {
    id,
    onnx: bytes,
    sourcePackage: pkg,
    sourceFiles: source.files,
    flopsPerInputPixel: convFlopsByScale(onnx.ModelProto.decode(bytes).graph!),
  };
}

/** Every ESRGAN size x scale, upsample+conv folded (the exact, faster form). */
export const convertUpscalers: Converter = async (ctx) => {
  const built: BuiltModel[] = [];
  for (const size of ESRGAN_SIZES) {
    for (const scale of ESRGAN_SCALES) {
      const started = performance.now();
      const model = await buildUpscaler(size, scale);
      const ms = performance.now() - started;
      ctx.log(
        `${model.id}: ${(model.onnx.length / 1e6).toFixed(2)} MB, ${(model.flopsPerInputPixel / 1e6).toFixed(2)} MFLOP/px, ${ms.toFixed(0)} ms`,
      );
      built.push(model);
    }
  }
  return built;
};
