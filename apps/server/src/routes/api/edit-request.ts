import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CallbackUrlSchema,
  EditJsonBodySchema,
  EditOptionsSchema,
  LoupeError,
  issuesFromZod,
  parsePipeline,
  pipelineSizes,
  type EditOptions,
} from '@loupe/shared';
import type { Config } from '../../config';
import { readHeader } from '../../images/decode';
import type { JobRecord, JobRequest } from '../../jobs/job';
import { decodeForTransport, discardPixels } from '../../inference/pixel-transport';
import type { PixelTransport } from '../../inference/protocol';

/** POST /api/jobs takes what /api/edit takes, plus where to report the result. */
export const JobJsonBodySchema = EditJsonBodySchema.extend({
  callbackUrl: CallbackUrlSchema.optional(),
});

/**
 * Body limit for the upload routes. Base64 in a JSON body inflates by 4/3; multipart is
 * limited by @fastify/multipart's fileSize instead.
 */
export function uploadBodyLimit(config: Config): number {
  return Math.ceil(config.LOUPE_MAX_UPLOAD_BYTES * 1.4) + 64 * 1024;
}

export interface EditInput {
  bytes: Uint8Array;
  options: EditOptions;
  callbackUrl?: string;
}

function parseJsonField(name: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new LoupeError('INVALID_REQUEST', `${name} must be JSON`, [
      { path: name, message: 'not valid JSON' },
    ]);
  }
}

async function readMultipart(
  request: FastifyRequest,
): Promise<{ bytes?: Uint8Array; fields: Record<string, unknown> }> {
  let bytes: Uint8Array | undefined;
  const fields: Record<string, unknown> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'image') {
        part.file.resume();
        throw new LoupeError('INVALID_REQUEST', `unexpected file field ${part.fieldname}`, [
          { path: part.fieldname, message: 'only `image` may be a file' },
        ]);
      }
      bytes = await part.toBuffer();
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  for (const name of ['params', 'steps'] as const)
    fields[name] = parseJsonField(name, fields[name] as string | undefined);
  return { bytes, fields };
}

/** The edit request from either a multipart upload or a JSON body with the image in base64. */
export async function readEditInput(
  request: FastifyRequest,
  withCallback: boolean,
): Promise<EditInput> {
  let raw: Record<string, unknown>;
  let bytes: Uint8Array | undefined;
  if (request.isMultipart()) {
    ({ bytes, fields: raw } = await readMultipart(request));
  } else {
    raw = { ...(request.body as Record<string, unknown>) };
    const b64 = String(raw.image_base64 ?? '').replace(/^data:[^,]*,/, '');
    bytes = Buffer.from(b64, 'base64');
  }
  const schema = withCallback
    ? EditOptionsSchema.extend({ callbackUrl: CallbackUrlSchema.optional() })
    : EditOptionsSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new LoupeError('INVALID_PARAMS', 'Some fields are invalid', issuesFromZod(parsed.error));
  if (!bytes || bytes.byteLength === 0) {
    throw new LoupeError('INVALID_REQUEST', 'An image is required', [
      { path: 'image', message: 'missing or empty' },
    ]);
  }
  const { callbackUrl, ...options } = parsed.data as EditOptions & { callbackUrl?: string };
  return { bytes, options, ...(callbackUrl ? { callbackUrl } : {}) };
}

/**
 * Validates steps, checks sizes from the header (input pixels, then every step's output
 * against LOUPE_MAX_OUTPUT_PIXELS) and only then decodes: nothing expensive happens for a
 * request that will be refused.
 */
async function prepareJob(
  config: Config,
  input: EditInput,
  extra: { retain: boolean; receivedAt: number; tempDir: string },
): Promise<{ request: JobRequest; input: PixelTransport }> {
  const { options } = input;
  let steps;
  if (options.steps) {
    steps = parsePipeline(options.steps);
  } else if (options.op) {
    steps = parsePipeline([{ op: options.op, params: options.params ?? {} }]);
    if (!steps.ok)
      steps.issues = steps.issues.map((i) => ({ ...i, path: i.path.replace(/^steps\.0\./, '') }));
  } else {
    throw new LoupeError('INVALID_REQUEST', 'Give `op` (and `params`) or `steps`', [
      { path: 'op', message: 'required unless steps is given' },
    ]);
  }
  if (!steps.ok)
    throw new LoupeError('INVALID_PARAMS', 'Some parameters are invalid', steps.issues);

  const header = await readHeader(input.bytes, config.LOUPE_MAX_INPUT_PIXELS);
  const sizes = pipelineSizes(steps.value, header);
  sizes.forEach((size, i) => {
    if (size.width * size.height > config.LOUPE_MAX_OUTPUT_PIXELS) {
      throw new LoupeError(
        'OUTPUT_TOO_LARGE',
        `Step ${i + 1} (${steps.value[i]!.op}) would produce ${size.width}×${size.height} (${((size.width * size.height) / 1e6).toFixed(1)} MP); the limit is ${(config.LOUPE_MAX_OUTPUT_PIXELS / 1e6).toFixed(1)} MP`,
      );
    }
  });
  const last = sizes.at(-1) ?? header;
  if (options.format === 'webp' && last.width * last.height > config.LOUPE_MAX_WEBP_OUTPUT_PIXELS) {
    throw new LoupeError(
      'OUTPUT_TOO_LARGE',
      `WebP results are limited to ${(config.LOUPE_MAX_WEBP_OUTPUT_PIXELS / 1e6).toFixed(1)} MP (its encoder needs ~30 bytes per pixel) and this one is ${last.width}×${last.height}; ask for png or jpeg`,
      [{ path: 'format', message: 'webp is too large for this result' }],
    );
  }

  const decodeStart = performance.now();
  const decoded = await decodeForTransport(
    input.bytes,
    header,
    config.LOUPE_MAX_INPUT_PIXELS,
    extra.tempDir,
    config.LOUPE_IPC_INLINE_MAX_BYTES,
  );
  const { width, height } = decoded.transport;
  const request: JobRequest = {
    steps: steps.value,
    input: { width, height, format: decoded.format },
    format: options.format,
    quality: options.quality,
    receivedAt: extra.receivedAt,
    decodeMs: performance.now() - decodeStart,
    retain: extra.retain,
    ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
  };
  return { request, input: decoded.transport };
}

/** Prepares and submits; a refused submission (queue full, draining) deletes the decoded input. */
export async function submitEdit(
  app: FastifyInstance,
  input: EditInput,
  extra: { retain: boolean; receivedAt: number },
): Promise<JobRecord> {
  const prepared = await prepareJob(app.config, input, {
    ...extra,
    tempDir: app.supervisor.tempDir,
  });
  try {
    return app.jobs.submit(prepared.request, prepared.input);
  } catch (e) {
    await discardPixels(prepared.input);
    throw e;
  }
}
