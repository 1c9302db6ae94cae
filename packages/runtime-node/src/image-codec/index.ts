// @loupe/runtime-node/image-codec: pixels in and out of the server through sharp (libvips), the
// tree's only sharp import in product code. No onnxruntime here, so the HTTP process, which
// decodes uploads, imports it by subpath; the inference child encodes results with it.
export {
  readHeader,
  decodeImage,
  decodeImageToFile,
  type DecodedImage,
  type DecodedFile,
  type ImageHeader,
} from './decode';
export { encodeImage, encodeImageToFile, isOpaque, MIME } from './encode';
export { writePng, type PngWriterOptions } from './png-writer';
export { readPngText, PngTextInserter } from './png-text';
export { decodeMask, readMaskHeader } from './mask-file';
export { withParametersText } from './parameters-text';
export {
  ENCODER_SETTINGS,
  FAST_DEFAULT_MAX_PIXELS,
  IN_MEMORY_PNG_MAX_PIXELS,
  STREAMING_JPEG_MIN_PIXELS,
  resolveCompression,
} from './compression';
export { INPUT_FORMATS, sniffImageFormat, type InputFormat } from './sniff';
export { readVipsRgba } from './vips-file';
export { encodePreview, PREVIEW_MAX_SIDE } from './preview';
