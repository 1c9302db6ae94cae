import {
  anime4kModelFor,
  type EnhanceIllustrationParams,
} from '../../ops/params/enhance-illustration';
import { runTiledModel, tiledModelTiles } from '../tiled-model';
import type { OpEngine } from './op-engine';

/** Anime4K, tiled like ESRGAN, with the same alpha handling. */
export const enhanceIllustrationEngine: OpEngine<EnhanceIllustrationParams> = {
  tiles: (p, size, tileSize) => tiledModelTiles(anime4kModelFor(p), size, tileSize),
  run: (image, p, ctx) => runTiledModel(image, anime4kModelFor(p), ctx),
};
