import { z } from 'zod';
import {
  EditOptionsSchema,
  ErrorPayloadSchema,
  GenerateParams,
  GpuActionRequestSchema,
  JobSchema,
  ModelsResponseSchema,
  PipelineInputSchema,
} from '@loupe/shared';
import { ImageSourceSchema } from './image-source';

// The tools' schemas, built from the shared contracts the server validates with: an op id, a
// step, a format or a job here is the same schema as in the HTTP API, so a change there changes
// the tools' JSON Schemas too. Only what is MCP's own (image sources, result links) is new.

/** More than this per call is a job for the CLI's folders, not one tool call. */
export const MAX_BATCH_IMAGES = 16;

const preview = z
  .boolean()
  .default(false)
  .describe('Also return a small JPEG preview (at most 256 px) inline. Off by default.');

/** What to do to a picture: one `op` with `params`, or a pipeline of `steps`; then how to encode it. */
export const EditShape = {
  ...EditOptionsSchema.pick({
    op: true,
    params: true,
    format: true,
    quality: true,
    compression: true,
  }).shape,
  steps: PipelineInputSchema.optional().describe(
    'A pipeline instead of op + params: [{op, params}, …], run in order.',
  ),
  preview,
};

export const EditImageInput = z.strictObject({
  image: ImageSourceSchema,
  mask: ImageSourceSchema.optional().describe(
    'For ops that take a mask (inpaint, erase): white where to change.',
  ),
  ...EditShape,
});

export const BatchEditInput = z.strictObject({
  images: z.array(ImageSourceSchema).min(1).max(MAX_BATCH_IMAGES),
  ...EditShape,
});

/** The `generate` op's own params, with `model` optional: the first usable text-to-image folder. */
export const GenerateImageInput = z.strictObject({
  ...GenerateParams.shape,
  model: GenerateParams.shape.model.optional(),
  format: EditOptionsSchema.shape.format,
  preview,
});

export const JobIdInput = z.strictObject({ id: JobSchema.shape.id.min(1) });
export const GpuActionInput = GpuActionRequestSchema;

/** Where a finished job's image is: an MCP resource any client can read, and the server's URL. */
export const ResultLinkSchema = z.object({
  /** `loupe://jobs/<id>/result`, read with resources/read. */
  uri: z.string(),
  /** GET it with the server's token when LOUPE_API_TOKEN is set; absent when the server URL is unknown. */
  url: z.string().optional(),
  mimeType: z.string(),
  /** After this the server no longer has the result. */
  expiresAt: z.string().optional(),
});
export type ResultLink = z.infer<typeof ResultLinkSchema>;

export const JobResultOutput = z.object({ job: JobSchema, result: ResultLinkSchema.optional() });
export type JobResultOutput = z.infer<typeof JobResultOutput>;

export const BatchOutput = z.object({
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** One per input image, in order: its job and result, or why it failed. */
  items: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      job: JobSchema.optional(),
      result: ResultLinkSchema.optional(),
      error: ErrorPayloadSchema.optional(),
    }),
  ),
});
export type BatchOutput = z.infer<typeof BatchOutput>;

export const CancelOutput = z.object({ job: JobSchema });

// The manifest's `id` narrows its TypeScript type with a transform, which JSON Schema cannot
// state (the SDK converts output schemas as outputs): the same string, declared as one.
const modelEntry = ModelsResponseSchema.shape.models.element;
export const ModelsOutput = ModelsResponseSchema.extend({
  models: z.array(
    modelEntry.extend({ id: z.string().describe('A built model id, e.g. esrgan-slim-x4') }),
  ),
});
