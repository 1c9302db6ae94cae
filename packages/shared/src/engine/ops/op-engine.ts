import type { RgbaImage, Size } from '../../image/rgba-image';
import type { StepContext } from '../context';
import type { TileSizeOverride } from '../tiling';

/**
 * How the engine carries out one operation. `tiles` must equal the number of model calls
 * `run` makes on an image of that size: the pipeline's progress total is their sum.
 */
export interface OpEngine<P> {
  tiles(params: P, size: Size, tileSize: TileSizeOverride | undefined): number;
  run(image: RgbaImage, params: P, ctx: StepContext): Promise<RgbaImage>;
}
