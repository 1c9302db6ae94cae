import {
  CreateJobResponseSchema,
  EditJsonResponseSchema,
  EditMetadataSchema,
  GenerateResponseSchema,
  GpuActionResponseSchema,
  GpuStatusSchema,
  HealthSchema,
  JobSchema,
  ManifestSchema,
  METADATA_HEADER,
  ModelsResponseSchema,
  OpsResponseSchema,
  PREVIEW_STEP_HEADER,
  ReadySchema,
  UploadLimitsSchema,
  VersionSchema,
  type EditJsonResponse,
  type EditMetadata,
  type GenerateRequest,
  type GenerateResponse,
  type GpuActionRequestSchema,
  type GpuActionResponse,
  type GpuStatus,
  type Job,
  type JobEvent,
  type ModelManifest,
  type ModelsResponse,
  type OpsResponse,
  type Ready,
  type UploadLimits,
  type VersionInfo,
} from '@loupe/shared';
import type { z } from 'zod';
import { editForm, type EditRequest, type ImageInput, type JobRequest } from './edit-request';
import { InvalidResponseError } from './errors';
import { endpoint, Http, parse, readBody, type CallOptions, type ClientOptions } from './http';
import { followJobEvents, type JobEventsOptions } from './job-events';

export type CreateJobResponse = z.infer<typeof CreateJobResponseSchema>;
export type GpuActionRequest = z.infer<typeof GpuActionRequestSchema>;
export type Health = z.infer<typeof HealthSchema>;

/** A binary edit's answer: the encoded image and what ran, where and how. */
export interface EditImageResult {
  image: Blob;
  metadata: EditMetadata;
}

/** A generative job's latest preview: the picture after `step` of `total` denoising steps. */
export interface JobPreview {
  image: Blob;
  step: number;
  total: number;
}

/**
 * The Loupe server's HTTP API. Every answer is validated with the schema the server answers
 * with, so a contract drift fails here, loudly, as `InvalidResponseError`; error answers are
 * `LoupeApiError`; an unreachable server is `LoupeError('SERVER_UNREACHABLE')`, an abort
 * `LoupeError('CANCELLED')`.
 */
export interface LoupeClient {
  /** `POST /api/edit`: waits for the edited image; its metadata comes from the `x-loupe-metadata` header. */
  edit(
    /** null for an op that makes a new picture (`generate`). */
    image: ImageInput | null,
    request: EditRequest & { response?: 'image' },
    options?: CallOptions,
  ): Promise<EditImageResult>;
  /** `POST /api/edit` with response=json: the image as base64 beside its metadata. */
  edit(
    image: ImageInput | null,
    request: EditRequest & { response: 'json' },
    options?: CallOptions,
  ): Promise<EditJsonResponse>;
  /** `POST /api/jobs`: queues the edit and answers at once (202). */
  createJob(
    image: ImageInput | null,
    request: JobRequest,
    options?: CallOptions,
  ): Promise<CreateJobResponse>;
  job(id: string, options?: CallOptions): Promise<Job>;
  /** `DELETE /api/jobs/:id`: the job as it is after cancelling; ended jobs are left as they are. */
  cancelJob(id: string, options?: CallOptions): Promise<Job>;
  /**
   * Picture `index` (default 0, of `Job.resultCount`) of a succeeded job's result
   * (JOB_NOT_FINISHED, JOB_CANCELLED or the job's error otherwise).
   */
  jobResult(id: string, options?: CallOptions & { index?: number }): Promise<Blob>;
  /**
   * `GET /api/jobs/:id/preview`: the latest denoising preview of a generative job (a small JPEG).
   * NOT_FOUND before the first one, as for an unknown job. The `preview` events carry the same
   * image as a data URL.
   */
  jobPreview(id: string, options?: CallOptions): Promise<JobPreview>;
  /**
   * `POST /generate`: text to image in the Stable Diffusion REST shape; omitted seed, size or
   * model are chosen by the server and returned in `metadata`.
   */
  generate(request: GenerateRequest, options?: CallOptions): Promise<GenerateResponse>;
  /** Queued, started, progress (and preview)…, then one terminal event; see `followJobEvents` for reconnection. */
  jobEvents(id: string, options?: JobEventsOptions): AsyncGenerator<JobEvent, void, undefined>;
  gpuStatus(options?: CallOptions): Promise<GpuStatus>;
  /** Frees device memory of idle models, keeping their bytes in RAM for a fast reload. */
  offload(request?: GpuActionRequest, options?: CallOptions): Promise<GpuActionResponse>;
  /** Drops idle models entirely; models in use are skipped (and listed). */
  release(request?: GpuActionRequest, options?: CallOptions): Promise<GpuActionResponse>;
  models(options?: CallOptions): Promise<ModelsResponse>;
  ops(options?: CallOptions): Promise<OpsResponse>;
  /** `GET /api/limits`: the formats and sizes this server accepts, as it is configured. */
  limits(options?: CallOptions): Promise<UploadLimits>;
  /** The built models' manifest (sizes, sha256) from `/models/manifest.json`. */
  manifest(options?: CallOptions): Promise<ModelManifest>;
  health(options?: CallOptions): Promise<Health>;
  /** Readiness; a server that is up but not ready (503) answers too, with `ready: false`. */
  ready(options?: CallOptions): Promise<Ready>;
  version(options?: CallOptions): Promise<VersionInfo>;
}

/**
 * A client for one server.
 *
 * @example
 * const loupe = createLoupeClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.LOUPE_API_TOKEN });
 * const { image, metadata } = await loupe.edit(file, { op: 'upscale', params: { scale: 4 } }, { signal });
 */
export function createLoupeClient(options: ClientOptions = {}): LoupeClient {
  const http = new Http(options);
  const job = (id: string) => `/api/jobs/${encodeURIComponent(id)}`;
  const get = <S extends z.ZodType>(schema: S, path: string, { signal }: CallOptions = {}) =>
    http.json(schema, { path, signal });
  const gpuAction =
    (name: 'offload' | 'release') =>
    (request: GpuActionRequest = {}, { signal }: CallOptions = {}) =>
      http.json(GpuActionResponseSchema, {
        method: 'POST',
        path: `/api/gpu/${name}`,
        body: JSON.stringify(request),
        signal,
      });

  async function edit(
    image: ImageInput | null,
    request: EditRequest & { response?: 'image' | 'json' },
    { signal }: CallOptions = {},
  ): Promise<EditImageResult | EditJsonResponse> {
    const req = {
      method: 'POST',
      path: '/api/edit',
      body: editForm(image, request, request.response),
      signal,
    } as const;
    if (request.response === 'json') return http.json(EditJsonResponseSchema, req);
    const res = await http.send(req);
    const header = res.headers.get(METADATA_HEADER);
    if (header === null)
      throw new InvalidResponseError(endpoint(req), res.status, [
        { path: METADATA_HEADER, message: 'header missing' },
      ]);
    const metadata = parse(EditMetadataSchema, header, endpoint(req), res.status);
    return { image: await readBody(() => res.blob(), signal), metadata };
  }

  return {
    edit: edit as LoupeClient['edit'],
    createJob: (image, request, { signal } = {}) =>
      http.json(CreateJobResponseSchema, {
        method: 'POST',
        path: '/api/jobs',
        body: editForm(image, request),
        signal,
      }),
    job: (id, options) => get(JobSchema, job(id), options),
    cancelJob: (id, { signal } = {}) =>
      http.json(JobSchema, { method: 'DELETE', path: job(id), signal }),
    async jobResult(id, { signal, index } = {}) {
      const query = index ? `?index=${index}` : '';
      const res = await http.send({ path: `${job(id)}/result${query}`, signal });
      return readBody(() => res.blob(), signal);
    },
    async jobPreview(id, { signal } = {}) {
      const req = { path: `${job(id)}/preview`, signal };
      const res = await http.send(req);
      const [step, total] = (res.headers.get(PREVIEW_STEP_HEADER) ?? '').split('/').map(Number);
      if (!Number.isInteger(step) || !Number.isInteger(total))
        throw new InvalidResponseError(endpoint(req), res.status, [
          { path: PREVIEW_STEP_HEADER, message: 'missing or not <step>/<total>' },
        ]);
      return { image: await readBody(() => res.blob(), signal), step: step!, total: total! };
    },
    generate: (request, { signal } = {}) =>
      http.json(GenerateResponseSchema, {
        method: 'POST',
        path: '/generate',
        body: JSON.stringify(request),
        signal,
      }),
    jobEvents: (id, options) => followJobEvents(http, id, options),
    gpuStatus: (options) => get(GpuStatusSchema, '/api/gpu/status', options),
    offload: gpuAction('offload'),
    release: gpuAction('release'),
    models: (options) => get(ModelsResponseSchema, '/api/models', options),
    ops: (options) => get(OpsResponseSchema, '/api/ops', options),
    limits: (options) => get(UploadLimitsSchema, '/api/limits', options),
    manifest: (options) => get(ManifestSchema, '/models/manifest.json', options),
    health: (options) => get(HealthSchema, '/health', options),
    ready: ({ signal } = {}) => http.json(ReadySchema, { path: '/ready', signal, answers: [503] }),
    version: (options) => get(VersionSchema, '/version', options),
  };
}
