import type { JpegOptions, PngOptions, WebpOptions } from 'sharp';
import type { Compression, Size } from '@loupe/shared';

interface EncoderSettings {
  /** Every level is lossless: only time and bytes change. */
  readonly png: PngOptions;
  /** Added to the request's `quality`: effort changes bytes, barely the picture. */
  readonly webp: WebpOptions;
  /** Added to the request's `quality` below STREAMING_JPEG_MIN_PIXELS. */
  readonly jpeg: JpegOptions;
}

/**
 * sharp's options for each compression level, picked from bench/encode-settings.ts on real
 * model outputs (docs/benchmarks.md, "Encoder settings"). For PNG the row filter matters more
 * than the zlib level: adaptive filtering halves a photo's file, and levels above 6 cost
 * several times the time for a few percent. mozjpeg's trellis pass is what makes `small` JPEGs
 * slow; `fast` is one baseline pass.
 */
export const ENCODER_SETTINGS = {
  fast: {
    // Pictures up to IN_MEMORY_PNG_MAX_PIXELS get Loupe's own banded writer (png-writer.ts);
    // this is libvips's setting for larger ones, which it streams.
    png: { compressionLevel: 1, adaptiveFiltering: false },
    webp: { effort: 0 },
    jpeg: { optimiseCoding: false },
  },
  balanced: {
    png: { compressionLevel: 2, adaptiveFiltering: true },
    webp: { effort: 2 },
    jpeg: { optimiseCoding: true },
  },
  small: {
    png: { compressionLevel: 6, adaptiveFiltering: true },
    webp: { effort: 6 },
    jpeg: { mozjpeg: true },
  },
} as const satisfies Record<Compression, EncoderSettings>;

/**
 * `fast` PNGs up to this size are written by png-writer.ts, which holds the filtered rows and
 * the compressed bands beside the picture (~3 bytes a pixel more); above it libvips streams.
 */
export const IN_MEMORY_PNG_MAX_PIXELS = 16_000_000;

/**
 * Above this, JPEG is written in one streaming pass whatever the level. mozjpeg's trellis
 * quantisation and optimised or progressive coding keep every DCT coefficient of the image
 * until the end: measured +830 MB for a 144 MP result, against +10 MB streamed (the file is
 * ~1.5× larger).
 */
export const STREAMING_JPEG_MIN_PIXELS = 16_000_000;
export const STREAMING_JPEG: JpegOptions = { progressive: false, optimiseCoding: false };

/**
 * Results up to this many pixels default to `fast`, larger ones to `balanced`. An interactive
 * edit waits for its encode: for the small job (1536×864 from slim ×4) `fast` took ~8%
 * of the child's inference, `balanced` 16–21%, `small` 33–60%. Time and bytes per pixel hardly change
 * with size, so above this it is the bytes that decide: `balanced` files are ~60% smaller, and
 * large results are kept in the result store and downloaded.
 */
export const FAST_DEFAULT_MAX_PIXELS = 4_000_000;

/** The level a request gets: the one it asked for, else the default for its result's size. */
export function resolveCompression(requested: Compression | undefined, result: Size): Compression {
  if (requested) return requested;
  return result.width * result.height <= FAST_DEFAULT_MAX_PIXELS ? 'fast' : 'balanced';
}
