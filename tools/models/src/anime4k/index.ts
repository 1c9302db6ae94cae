import {
  ANIME4K_SIZES,
  ANIME4K_STYLES,
  type Anime4kModelId,
  type Anime4kSize,
} from '@loupe/shared';
import type { BuiltModel, Converter } from '../build-context';
import { convFlopsByScale } from '../onnx/conv-flops-by-scale';
import { onnx } from '../onnx/graph-builder';
import { packageDir } from '../manifest/package-info';
import { anime4kToOnnx } from './anime4k-to-onnx';
import { readWebsrNetwork } from './websr-weights';

export const ANIME4K_PACKAGE = '@websr/websr';

/** Every Anime4K model Loupe ships, with the websr weights file it is built from. */
export function anime4kSources(): { id: Anime4kModelId; file: string }[] {
  return ANIME4K_SIZES.flatMap((size: Anime4kSize) => [
    ...ANIME4K_STYLES.map((style) => ({
      id: `anime4k-2x-${size}-${style}` as const,
      file: `weights/anime4k/cnn-2x-${size}-${style}.json`,
    })),
    {
      id: `anime4k-restore-${size}-an` as const,
      file: `weights/anime4k/cnn-restore-${size}-an.json`,
    },
  ]);
}

/** Anime4K CNNs from websr's JSON weights, each baked into one RGB-in, RGB-out graph. */
export const convertAnime4k: Converter = async (ctx) => {
  const root = packageDir(ANIME4K_PACKAGE);
  const built: BuiltModel[] = [];
  for (const { id, file } of anime4kSources()) {
    const bytes = anime4kToOnnx(await readWebsrNetwork(root, file), {
      name: id,
      docString: `${id}: websr's Anime4K weights (${ANIME4K_PACKAGE} ${file}) with its pre- and post-processing baked in.`,
    });
    const model: BuiltModel = {
      id,
      onnx: bytes,
      sourcePackage: ANIME4K_PACKAGE,
      sourceFiles: [file],
      flopsPerInputPixel: convFlopsByScale(onnx.ModelProto.decode(bytes).graph!),
    };
    ctx.log(
      `${id}: ${(bytes.length / 1e3).toFixed(0)} kB, ${(model.flopsPerInputPixel / 1e3).toFixed(1)} kFLOP/px`,
    );
    built.push(model);
  }
  return built;
};
