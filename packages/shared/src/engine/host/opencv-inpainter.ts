import { LoupeError } from '../../api/loupe-error';
import type { Inpainter, InpaintRequest } from '../inpainter';

/**
 * What a runtime's loader hands over: the OpenCV.js module, boxed. It is a thenable that
 * resolves to itself, so a promise resolved with it (an `import()` of it, an async function
 * returning it) never settles: it must only ever travel inside an object.
 */
export interface OpenCvModule {
  readonly opencv: unknown;
}

/** The part of an OpenCV.js Mat used here: `data` views the WASM heap until `delete()`. */
interface OpenCvMat {
  readonly data: Uint8Array;
  delete(): void;
}

/** The part of OpenCV.js's API the inpainter calls (typed here so shared imports no OpenCV). */
export interface OpenCvInpaintApi {
  readonly CV_8UC1: number;
  readonly CV_8UC3: number;
  readonly INPAINT_TELEA: number;
  readonly INPAINT_NS: number;
  readonly Mat: new (rows: number, cols: number, type: number) => OpenCvMat;
  inpaint(src: OpenCvMat, mask: OpenCvMat, dst: OpenCvMat, radius: number, flags: number): void;
}

/**
 * The loaded module once its runtime is up. OpenCV.js (Emscripten) is a thenable that resolves
 * to itself, so it is never awaited directly (that never settles); its `onRuntimeInitialized`
 * is, unless it already ran.
 */
function whenReady({ opencv }: OpenCvModule): Promise<{ cv: OpenCvInpaintApi }> {
  const cv = opencv as OpenCvInpaintApi & {
    onRuntimeInitialized?: () => void;
    calledRun?: boolean;
  };
  if (typeof cv.inpaint === 'function' && typeof cv.Mat === 'function')
    return Promise.resolve({ cv });
  return new Promise((resolve) => {
    cv.onRuntimeInitialized = () => resolve({ cv });
  });
}

/** One fill: the request's RGB and mask into the WASM heap, `cv.inpaint`, the RGB back out. */
export function inpaintWithOpenCv(cv: OpenCvInpaintApi, request: InpaintRequest): Uint8Array {
  const { image, mask, algorithm, radius } = request;
  const src = new cv.Mat(image.height, image.width, cv.CV_8UC3);
  const holes = new cv.Mat(image.height, image.width, cv.CV_8UC1);
  const dst = new cv.Mat(image.height, image.width, cv.CV_8UC3);
  try {
    src.data.set(image.data);
    holes.data.set(mask.data);
    cv.inpaint(src, holes, dst, radius, algorithm === 'ns' ? cv.INPAINT_NS : cv.INPAINT_TELEA);
    return dst.data.slice();
  } finally {
    src.delete();
    holes.delete();
    dst.delete();
  }
}

/**
 * The `Inpainter` both runtimes give the engine: OpenCV's WebAssembly build, loaded by the
 * first erase (its 11 MB script costs nothing to runs that never erase). A failed load is
 * reported in words and tried again by the next erase.
 *
 * @example const inpainter = new OpenCvInpainter(() => ({ opencv: require('@techstark/opencv-js') }));
 */
export class OpenCvInpainter implements Inpainter {
  private ready: Promise<{ cv: OpenCvInpaintApi }> | undefined;

  constructor(private readonly load: () => Promise<OpenCvModule> | OpenCvModule) {}

  /**
   * Loads OpenCV now (a warm-up, or a test's); `inpaint` does it on first use anyway. The API
   * stays boxed: an async function returning the thenable module itself would never settle.
   */
  loaded(): Promise<{ cv: OpenCvInpaintApi }> {
    this.ready ??= Promise.resolve()
      .then(this.load)
      .then(whenReady)
      .catch((e: unknown) => {
        this.ready = undefined;
        throw new LoupeError(
          'INFERENCE_FAILED',
          `Could not load OpenCV (WebAssembly) for erase: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    return this.ready;
  }

  async inpaint(request: InpaintRequest): Promise<Uint8Array> {
    const { width, height, data } = request.image;
    if (data.length !== width * height * 3 || request.mask.data.length !== width * height)
      throw new LoupeError('INTERNAL', `inpaint request of ${width}×${height} has wrong buffers`);
    return inpaintWithOpenCv((await this.loaded()).cv, request);
  }
}
