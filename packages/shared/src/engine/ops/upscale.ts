import { esrganModelId } from '../../models/model-ids';
import type { UpscaleParams } from '../../ops/params/upscale';
import { runTiledModel, tiledModelTiles } from '../tiled-model';
import type { OpEngine } from './op-engine';

/** ESRGAN, tiled by the model's spec; alpha resized on its own. */
export const upscaleEngine: OpEngine<UpscaleParams> = {
  tiles: (p, size, tileSize) => tiledModelTiles(esrganModelId(p.model, p.scale), size, tileSize),
  run: (image, p, ctx) => runTiledModel(image, esrganModelId(p.model, p.scale), ctx),
};
