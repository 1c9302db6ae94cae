import { z } from 'zod';
import { GenerationMetadataSchema } from './generation';

/** Where an edit runs and on which engine. */
export const EXECUTION_PROVIDERS = ['cuda', 'webgpu', 'wasm', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
export const ExecutionProviderSchema = z.enum(EXECUTION_PROVIDERS);

export const SERVER_EP_PREFERENCES = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ServerEpPreference = (typeof SERVER_EP_PREFERENCES)[number];

export const PLACEMENTS = ['browser', 'server'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const OUTPUT_FORMATS = ['png', 'webp', 'jpeg'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const OutputFormatSchema = z.enum(OUTPUT_FORMATS);

/** Time spent in each stage of one edit, in milliseconds. */
export const TimingsSchema = z.object({
  queueMs: z.number(),
  decodeMs: z.number(),
  inferMs: z.number(),
  encodeMs: z.number(),
  totalMs: z.number(),
});
export type Timings = z.infer<typeof TimingsSchema>;

/**
 * What ran, where and how, attached to every result (HTTP headers/JSON on the server,
 * the worker's result message in the browser). A fallback is never silent: it is here.
 */
export const EditMetadataSchema = z.object({
  steps: z.array(z.object({ op: z.string(), params: z.record(z.string(), z.unknown()) })),
  models: z.array(z.string()),
  placement: z.enum(PLACEMENTS),
  ep: ExecutionProviderSchema,
  device: z.string(),
  /** Set when the preferred EP failed and the edit was rerun on another one. */
  fallback: z.object({ from: ExecutionProviderSchema, reason: z.string() }).optional(),
  timings: TimingsSchema,
  tiles: z.number().int().nonnegative(),
  input: z.object({ width: z.number(), height: z.number(), format: z.string().optional() }),
  output: z.object({
    width: z.number(),
    height: z.number(),
    format: OutputFormatSchema.optional(),
  }),
  /** Generative edits: seeds, sampler and prompts as they ran (see `GenerationMetadataSchema`). */
  generation: GenerationMetadataSchema.optional(),
});
export type EditMetadata = z.infer<typeof EditMetadataSchema>;
