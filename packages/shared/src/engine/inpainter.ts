import type { Mask } from '../image/mask';
import type { AbortSignalLike } from './model-runner';

/** The classical fill algorithms the runtimes' inpainters offer (OpenCV's `inpaint` flags). */
export const INPAINT_ALGORITHMS = ['telea', 'ns'] as const;
export type InpaintAlgorithm = (typeof INPAINT_ALGORITHMS)[number];

/** Packed 8-bit RGB, rows top to bottom: what OpenCV's inpaint fills (it takes no alpha). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface InpaintRequest {
  readonly image: RgbImage;
  /** The image's size; non-zero = fill from the surroundings. */
  readonly mask: Mask;
  readonly algorithm: InpaintAlgorithm;
  /** How far around each filled pixel known pixels are read, in pixels. */
  readonly radius: number;
}

/**
 * A runtime's classical inpainting, given to the engine by its host like the `ModelRunner`, so
 * packages/shared imports no WASM: the browser worker and the server's child each wrap the same
 * OpenCV WebAssembly build (same code, same pixels). Loaded lazily by the first erase.
 *
 * @example const rgb = await inpainter.inpaint({ image, mask, algorithm: 'telea', radius: 5 });
 */
export interface Inpainter {
  /** The filled RGB picture, the request's size; pixels where the mask is 0 are unchanged. */
  inpaint(request: InpaintRequest, signal?: AbortSignalLike): Promise<Uint8Array>;
}
