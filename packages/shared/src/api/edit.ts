import { z } from 'zod';
import { OP_IDS } from '../ops/op-ids';
import { EditMetadataSchema, OutputFormatSchema } from './execution';

/**
 * How hard the server's encoder works on the result: `fast` spends the least time (larger
 * files), `small` the most (smaller files); every level of PNG is lossless. Left out, the
 * server picks one from the result's size (see docs/benchmarks.md, "Encoder settings").
 */
export const COMPRESSION_LEVELS = ['fast', 'balanced', 'small'] as const;
export type Compression = (typeof COMPRESSION_LEVELS)[number];
export const CompressionSchema = z.enum(COMPRESSION_LEVELS);

/**
 * Fields of `POST /api/edit` and `POST /api/jobs` besides the image. Multipart sends
 * `params` and `steps` as JSON strings; the JSON body sends them as values and the image
 * as `image_base64`. Either `op` (+ optional `params`) or `steps` is required.
 */
export const EditOptionsSchema = z.strictObject({
  op: z.enum(OP_IDS).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(z.unknown()).optional(),
  format: OutputFormatSchema.default('png'),
  quality: z.coerce.number().int().min(1).max(100).default(90),
  /** Encoder effort; the default depends on the result's size. @example 'small' */
  compression: CompressionSchema.optional(),
  /** `image` returns the encoded file with metadata headers; `json` returns base64 + metadata. */
  response: z.enum(['image', 'json']).default('image'),
});
export type EditOptions = z.output<typeof EditOptionsSchema>;

export const EditJsonBodySchema = EditOptionsSchema.extend({
  /** The image (a data: URL prefix is allowed); required unless the first op takes none (generate). */
  image_base64: z.string().min(1).optional(),
  /**
   * For ops that take a mask (erase, inpaint): a picture the image's size, any accepted format;
   * white (or opaque, on transparency) = change, black = keep, grey = blend.
   */
  mask_base64: z.string().min(1).optional(),
});

export const EditJsonResponseSchema = z.object({
  image_base64: z.string(),
  mime: z.string(),
  metadata: EditMetadataSchema,
  /** Every picture, the first being `image_base64`'s (count > 1 makes several). */
  images: z.array(z.string()).optional(),
});
export type EditJsonResponse = z.infer<typeof EditJsonResponseSchema>;

/** Response headers carrying metadata when the image itself is the body. */
export const METADATA_HEADER = 'x-loupe-metadata';

/** How many pictures a result holds (count > 1): the body is the first, `?index=k` the others. */
export const RESULT_COUNT_HEADER = 'loupe-result-count';
