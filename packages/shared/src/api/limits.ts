import { z } from 'zod';
import {
  IMAGE_FORMATS,
  IMAGE_FORMAT_IDS,
  SERVER_IMAGE_FORMATS,
  type ImageFormat,
} from '../image/formats';

/**
 * The server's limits when its environment sets none (LOUPE_MAX_UPLOAD_BYTES,
 * LOUPE_MAX_INPUT_PIXELS, LOUPE_MAX_OUTPUT_PIXELS, LOUPE_MAX_WEBP_OUTPUT_PIXELS): its config
 * reads its defaults from here, and a client that cannot ask the server assumes them.
 */
export const UPLOAD_LIMIT_DEFAULTS = {
  maxUploadBytes: 64 * 1024 * 1024,
  /** Declared pixels, read from the header before decoding. */
  maxInputPixels: 50_000_000,
  maxOutputPixels: 100_000_000,
  // libwebp needs ~30 bytes per pixel to encode.
  maxWebpOutputPixels: 4096 * 4096,
} as const satisfies Record<string, number>;

/** One image format as a file chooser or a non-TypeScript client needs it. */
export const ImageFormatInfoSchema = z.object({
  id: z.enum(IMAGE_FORMAT_IDS),
  /** In the user's words: "JPEG". */
  name: z.string(),
  mime: z.string(),
  /** Lower case, with the dot: [".jpg", ".jpeg"]. */
  extensions: z.array(z.string()).min(1),
});
export type ImageFormatInfo = z.infer<typeof ImageFormatInfoSchema>;

const limit = z.number().int().positive();

/**
 * `GET /api/limits`: what this server accepts for upload, with the values it was started with.
 * Files are recognised by their first bytes, never by name or MIME type; `mime` and
 * `extensions` are for file choosers.
 *
 * @example
 * { formats: [{ id: 'png', name: 'PNG', mime: 'image/png', extensions: ['.png'] }, …],
 *   maxUploadBytes: 67108864, maxInputPixels: 50000000, maxOutputPixels: 100000000,
 *   maxWebpOutputPixels: 16777216 }
 */
export const UploadLimitsSchema = z.object({
  /** The formats the server decodes, in the order it recognises them. */
  formats: z.array(ImageFormatInfoSchema).min(1),
  /** A larger file is refused with 413 PAYLOAD_TOO_LARGE. */
  maxUploadBytes: limit,
  /** An image declaring more pixels is refused with 413 IMAGE_TOO_LARGE, before decoding. */
  maxInputPixels: limit,
  /** A step that would produce more pixels is refused with 422 before any work starts. */
  maxOutputPixels: limit,
  /** A WebP result of more pixels is refused with 422. */
  maxWebpOutputPixels: limit,
});
export type UploadLimits = z.infer<typeof UploadLimitsSchema>;

/** A format of the shared table (`IMAGE_FORMATS`) as the API describes it. */
export function imageFormatInfo(id: ImageFormat): ImageFormatInfo {
  const { label, mime, extensions } = IMAGE_FORMATS[id];
  return { id, name: label, mime, extensions: [...extensions] };
}

/** What a server started with no LOUPE_MAX_* variables answers. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  formats: SERVER_IMAGE_FORMATS.map(imageFormatInfo),
  ...UPLOAD_LIMIT_DEFAULTS,
};

/**
 * The `accept` attribute of a file input for these formats: MIME types and extensions both,
 * since some systems know a file only by one of them.
 *
 * @example acceptAttribute([imageFormatInfo('jpeg')]) // 'image/jpeg,.jpg,.jpeg'
 */
export function acceptAttribute(formats: readonly ImageFormatInfo[]): string {
  return formats.flatMap((f) => [f.mime, ...f.extensions]).join(',');
}
