import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  decodeMask,
  readHeader,
  readMaskHeader,
  resolveCompression,
  type ImageHeader,
} from '@loupe/runtime-node/image-codec';
import {
  CallbackUrlSchema,
  EditJsonBodySchema,
  EditOptionsSchema,
  LoupeError,
  OPS,
  isOpId,
  forbiddenKeyIssues,
  issuesFromZod,
  parsePipeline,
  pipelineInputIssues,
  pipelineMaskIssues,
  pipelineModels,
  uninstalledModelIssues,
  pipelineSizes,
  type EditOptions,
  type OpId,
  type OpInputs,
} from '@loupe/shared';
import type { Config } from '../../config';
import type { JobRecord, JobRequest } from '../../jobs/job';
import type { AdmissionTicket } from '../../jobs/job-manager';
import {
  decodeForTransport,
  discardPixels,
  type DecodedInput,
} from '../../inference/pixel-transport';
import type { PixelTransport } from '../../inference/protocol';
import { MULTIPART_FIELD_BYTES } from '../../plugins/external/multipart';
import { resolveDiffusionSteps } from './diffusion-steps';

/** POST /api/jobs takes what /api/edit takes, plus where to report the result. */
export const JobJsonBodySchema = EditJsonBodySchema.extend({
  callbackUrl: CallbackUrlSchema.optional(),
});

/** Base64 with or without a `data:…;base64,` prefix, as the JSON upload fields take it. */
export function base64Bytes(value: string): Buffer {
  return Buffer.from(value.replace(/^data:[^,]*,/, ''), 'base64');
}

/**
 * Body limit for the upload routes. Base64 in a JSON body inflates by 4/3; multipart is
 * limited by @fastify/multipart's fileSize instead.
 */
export function uploadBodyLimit(config: Config): number {
  return Math.ceil(config.LOUPE_MAX_UPLOAD_BYTES * 1.4) + 64 * 1024;
}

export interface EditInput {
  /** Absent only for a pipeline whose first op takes no image (`inputs.image === 'none'`). */
  bytes: Uint8Array | undefined;
  /** The encoded mask picture (multipart file `mask`, or `mask_base64`), for ops that take one. */
  maskBytes?: Uint8Array;
  /** Repaint where the mask is black instead (the SD web UI's `inpainting_mask_invert`). */
  invertMask?: boolean;
  options: EditOptions;
  callbackUrl?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The queue place an upload route claimed before reading the body (see `admissionHooks`). */
    admission?: AdmissionTicket;
  }
}

/**
 * Route hooks for the upload routes: claims a queue place before the body is read, so with the
 * queue full or the server draining a refusal costs milliseconds whatever the upload's size.
 * The place goes back when the exchange ends, however it ends (answered, or the socket closed
 * first), unless a job took it.
 */
export function admissionHooks(app: FastifyInstance) {
  const release = async (request: FastifyRequest) => request.admission?.release();
  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      request.admission = app.jobs.admit();
      reply.raw.once('close', () => void release(request));
    },
    onResponse: release,
  };
}

/**
 * Aborted when the client hangs up before its answer was sent: what it started (reading,
 * decoding, waiting, running) is dropped wherever it is, with its temp files.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished)
      controller.abort(new LoupeError('CANCELLED', 'client disconnected'));
  });
  return controller.signal;
}

function throwIfGone(signal: AbortSignal): void {
  if (signal.aborted) throw new LoupeError('CANCELLED', 'The client disconnected');
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

/** Errors of the multipart layer that already mean the right thing (sizes: 413). */
const isLimitError = (e: unknown) => {
  const { code, statusCode } = e as { code?: string; statusCode?: number };
  return (
    statusCode === 413 ||
    /^FST_(REQ_FILE_TOO_LARGE|FILES_LIMIT|PARTS_LIMIT|FIELDS_LIMIT)$/.test(code ?? '')
  );
};

async function readMultipart(
  request: FastifyRequest,
): Promise<{ bytes?: Uint8Array; maskBytes?: Uint8Array; fields: Record<string, unknown> }> {
  let bytes: Uint8Array | undefined;
  let maskBytes: Uint8Array | undefined;
  const fields: Record<string, unknown> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'image' && part.fieldname !== 'mask') {
          part.file.resume();
          throw new LoupeError('INVALID_REQUEST', `unexpected file field ${part.fieldname}`, [
            { path: part.fieldname, message: 'only `image` and `mask` may be files' },
          ]);
        }
        if (part.fieldname === 'mask') maskBytes = await part.toBuffer();
        else bytes = await part.toBuffer();
      } else {
        // busboy cuts a field at the limit and carries on: a cut field must not be parsed as if whole.
        if (part.valueTruncated || part.fieldnameTruncated)
          throw new LoupeError(
            'PAYLOAD_TOO_LARGE',
            `Field ${part.fieldname} is over the ${MULTIPART_FIELD_BYTES / 1024} KiB limit for a form field`,
            [{ path: part.fieldname, message: `over ${MULTIPART_FIELD_BYTES} bytes` }],
          );
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    if (e instanceof LoupeError || isLimitError(e)) throw e;
    // busboy's parse errors (no or over-long boundary, unterminated or garbage body) are the
    // client's: a 400 that says so, never a 500.
    throw new LoupeError(
      'INVALID_REQUEST',
      `Malformed multipart/form-data body: ${(e as Error).message}`,
    );
  }
  for (const name of ['params', 'steps'] as const)
    fields[name] = parseJsonField(name, fields[name] as string | undefined);
  return { bytes, ...(maskBytes ? { maskBytes } : {}), fields };
}

/**
 * The op that starts the pipeline, when it takes no input image (generate): the request must
 * then carry none. Undefined for every other op, and for steps too malformed to tell (their
 * own validation names the fault, after the missing image).
 */
function takesNoImage(options: EditOptions): OpId | undefined {
  const first: unknown = options.op ?? (options.steps?.[0] as { op?: unknown } | undefined)?.op;
  if (typeof first !== 'string' || !isOpId(first)) return undefined;
  const inputs: OpInputs = OPS[first].inputs;
  return inputs.image === 'none' ? first : undefined;
}

/** The edit request from either a multipart upload or a JSON body with the image in base64. */
export async function readEditInput(
  request: FastifyRequest,
  withCallback: boolean,
): Promise<EditInput> {
  let raw: Record<string, unknown>;
  let bytes: Uint8Array | undefined;
  let maskBytes: Uint8Array | undefined;
  if (request.isMultipart()) {
    ({ bytes, maskBytes, fields: raw } = await readMultipart(request));
  } else {
    // Fastify also parses text/plain: only a JSON object is an edit request.
    const json = /^application\/json\b/i.test(request.headers['content-type'] ?? '');
    if (
      !json ||
      typeof request.body !== 'object' ||
      request.body === null ||
      Array.isArray(request.body)
    )
      throw new LoupeError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send multipart/form-data (an `image` file and fields) or a JSON object with `image_base64`',
      );
    const { image_base64, mask_base64, ...rest } = request.body as Record<string, unknown>;
    raw = rest;
    if (image_base64 !== undefined && typeof image_base64 !== 'string')
      throw new LoupeError('INVALID_REQUEST', 'image_base64 must be a base64 string', [
        { path: 'image_base64', message: 'not a string' },
      ]);
    bytes = base64Bytes(image_base64 ?? '');
    if (mask_base64 !== undefined) maskBytes = base64Bytes(String(mask_base64));
  }
  const imageField = request.isMultipart() ? 'image' : 'image_base64';
  const forbidden = forbiddenKeyIssues(raw);
  if (forbidden.length)
    throw new LoupeError('INVALID_PARAMS', 'Some fields are invalid', forbidden);
  const schema = withCallback
    ? EditOptionsSchema.extend({ callbackUrl: CallbackUrlSchema.optional() })
    : EditOptionsSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new LoupeError('INVALID_PARAMS', 'Some fields are invalid', issuesFromZod(parsed.error));
  const { callbackUrl, ...options } = parsed.data as EditOptions & { callbackUrl?: string };
  const given = bytes !== undefined && bytes.byteLength > 0;
  const imageless = takesNoImage(options);
  if (imageless && given)
    throw new LoupeError(
      'INVALID_REQUEST',
      `${imageless} makes a new picture and takes no input image: leave out \`${imageField}\``,
      [{ path: imageField, message: `${imageless} takes no input image` }],
    );
  if (!imageless && !given) {
    throw new LoupeError('INVALID_REQUEST', 'An image is required', [
      { path: imageField, message: 'missing or empty' },
    ]);
  }
  if (maskBytes?.byteLength === 0)
    throw new LoupeError('INVALID_REQUEST', 'The mask is empty', [
      { path: 'mask', message: 'an empty file' },
    ]);
  return {
    bytes: given ? bytes : undefined,
    options,
    ...(maskBytes ? { maskBytes } : {}),
    ...(callbackUrl ? { callbackUrl } : {}),
  };
}

/**
 * Validates steps, checks sizes from the header (input pixels, then every step's output
 * against LOUPE_MAX_OUTPUT_PIXELS) and only then decodes: nothing expensive happens for a
 * request that will be refused.
 */
async function prepareJob(
  app: FastifyInstance,
  input: EditInput,
  extra: { retain: boolean; receivedAt: number; signal: AbortSignal },
): Promise<{ request: JobRequest; input: PixelTransport | undefined }> {
  const { config } = app;
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

  const diffusion = await resolveDiffusionSteps(app, steps.value, (i, key) =>
    options.steps ? `steps.${i}.params.${key}` : key,
  );
  const pipeline = diffusion.steps;
  // An op that takes no image starts from nothing: 0×0, which its output size ignores.
  const header = input.bytes
    ? await readHeader(input.bytes, config.LOUPE_MAX_INPUT_PIXELS)
    : undefined;
  const inputSize = header ?? { width: 0, height: 0 };
  // A crop past the edge can only be seen once the picture's size is known, still before decoding.
  const misfits = pipelineInputIssues(pipeline, inputSize).map((i) =>
    options.steps ? i : { ...i, path: i.path.replace(/^steps\.0\./, '') },
  );
  if (misfits.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      header
        ? `Some parameters do not fit the ${header.width}×${header.height} image`
        : 'Some parameters are invalid',
      misfits,
    );
  const maskHeader = input.maskBytes
    ? await readMaskHeader(input.maskBytes, config.LOUPE_MAX_INPUT_PIXELS)
    : undefined;
  const maskIssues = pipelineMaskIssues(pipeline, inputSize, maskHeader).map((i) =>
    options.steps ? i : { ...i, path: i.path.replace(/^steps\.0\./, '') },
  );
  if (maskIssues.length)
    throw new LoupeError(
      'INVALID_PARAMS',
      `The mask does not fit this edit: ${maskIssues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      maskIssues,
    );
  const sizes = pipelineSizes(pipeline, inputSize);
  sizes.forEach((size, i) => {
    if (size.width * size.height > config.LOUPE_MAX_OUTPUT_PIXELS) {
      throw new LoupeError(
        'OUTPUT_TOO_LARGE',
        `Step ${i + 1} (${pipeline[i]!.op}) would produce ${size.width}×${size.height} (${((size.width * size.height) / 1e6).toFixed(1)} MP); the limit is ${(config.LOUPE_MAX_OUTPUT_PIXELS / 1e6).toFixed(1)} MP`,
      );
    }
  });
  const last = sizes.at(-1) ?? inputSize;
  if (options.format === 'webp' && last.width * last.height > config.LOUPE_MAX_WEBP_OUTPUT_PIXELS) {
    throw new LoupeError(
      'OUTPUT_TOO_LARGE',
      `WebP results are limited to ${(config.LOUPE_MAX_WEBP_OUTPUT_PIXELS / 1e6).toFixed(1)} MP (its encoder needs ~30 bytes per pixel) and this one is ${last.width}×${last.height}; ask for png or jpeg`,
      [{ path: 'format', message: 'webp is too large for this result' }],
    );
  }

  const problems = await app.modelIntegrity.problemsOf(pipelineModels(pipeline));
  // A model this install chose not to build (a MAXIM subset, --permissive-only) is the
  // request's problem: a 400 on the parameter that picks it, saying how to add it.
  const notBuilt = new Set(problems.filter((p) => p.notBuilt).map((p) => p.id));
  if (notBuilt.size) {
    const issues = uninstalledModelIssues(pipeline, (id) => !notBuilt.has(id)).map((i) =>
      options.steps ? i : { ...i, path: i.path.replace(/^steps\.0\./, '') },
    );
    throw new LoupeError('INVALID_PARAMS', issues.map((i) => i.message).join('; '), issues);
  }
  if (problems.length)
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `This edit needs ${problems.map((p) => p.id).join(', ')}, which cannot be used: ${problems.map((p) => p.reason).join('; ')}`,
    );

  throwIfGone(extra.signal);
  const decodeStart = performance.now();
  // Its size was checked from the header.
  const mask =
    input.maskBytes && maskHeader
      ? await decodeMask(input.maskBytes, config.LOUPE_MAX_INPUT_PIXELS, maskHeader, {
          invert: input.invertMask === true,
        })
      : undefined;
  const decoded =
    input.bytes && header ? await decode(app, input.bytes, header, extra.signal) : undefined;
  const request: JobRequest = {
    steps: pipeline,
    input: decoded
      ? { width: decoded.transport.width, height: decoded.transport.height, format: decoded.format }
      : inputSize,
    format: options.format,
    quality: options.quality,
    compression: resolveCompression(options.compression, last),
    receivedAt: extra.receivedAt,
    decodeMs: performance.now() - decodeStart,
    retain: extra.retain,
    ...(Object.keys(diffusion.folders).length ? { diffusion: diffusion.folders } : {}),
    ...(mask ? { mask } : {}),
    ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
  };
  return { request, input: decoded?.transport };
}

/** Decodes the upload for the child; a client that left during the decode gets nothing kept. */
async function decode(
  app: FastifyInstance,
  bytes: Uint8Array,
  header: ImageHeader,
  signal: AbortSignal,
): Promise<DecodedInput> {
  const { config } = app;
  app.metrics.uploadsDecoded.inc();
  app.metrics.uploadsDecoding.inc();
  try {
    const decoded = await decodeForTransport(
      bytes,
      header,
      config.LOUPE_MAX_INPUT_PIXELS,
      app.supervisor.tempDir,
      config.LOUPE_IPC_INLINE_MAX_BYTES,
    );
    // sharp cannot be interrupted, so a client that left during the decode is noticed here.
    if (signal.aborted) {
      await discardPixels(decoded.transport);
      throwIfGone(signal);
    }
    return decoded;
  } finally {
    app.metrics.uploadsDecoding.dec();
  }
}

/**
 * Prepares and queues an edit on the place the route's `admissionHooks` claimed. A
 * refused submission (draining) or a client gone by then deletes the decoded input.
 */
export async function submitEdit(
  app: FastifyInstance,
  request: FastifyRequest,
  input: EditInput,
  extra: { retain: boolean; receivedAt: number; signal: AbortSignal },
): Promise<JobRecord> {
  const ticket = request.admission;
  if (!ticket) throw new Error('submitEdit needs admissionHooks on its route');
  const prepared = await prepareJob(app, input, extra);
  try {
    return app.jobs.submit(prepared.request, prepared.input, ticket);
  } catch (e) {
    if (prepared.input) await discardPixels(prepared.input);
    throw e;
  }
}
