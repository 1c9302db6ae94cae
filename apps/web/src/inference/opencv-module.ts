// OpenCV.js (@techstark/opencv-js, OpenCV 4.12's official WASM build), boxed for the worker's
// `import()`: the module is a thenable resolving to itself, so it must never be what a promise
// resolves with (see OpenCvInpainter). Vite puts it in its own chunk, fetched by the first erase.
import cv from '@techstark/opencv-js';
import type { OpenCvModule } from '@loupe/shared';

export const opencv: OpenCvModule['opencv'] = cv;
