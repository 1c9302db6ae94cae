import {
  CreateJobResponseSchema,
  ErrorBodySchema,
  GpuActionResponseSchema,
  GpuStatusSchema,
  LoupeError,
  ManifestSchema,
  ModelsResponseSchema,
  ReadySchema,
  type JobEvent,
  type Step,
} from '@loupe/shared';
import type { z } from 'zod';
import { readJobEvents } from './sse';

/**
 * The Loupe server's HTTP API (issue 3). Every response is parsed with the schema the
 * server validates with, so a contract drift fails loudly here, not deep in a component.
 * Same-origin paths: `pnpm start` serves app and API on one port; Vite proxies them in dev.
 */

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (init.signal?.aborted) throw new LoupeError('CANCELLED');
    throw new LoupeError(
      'SERVER_UNREACHABLE',
      `The Loupe server cannot be reached (${(e as Error).message})`,
    );
  }
  if (res.ok) return res;
  throw await errorFrom(res);
}

async function errorFrom(res: Response): Promise<LoupeError> {
  const body = ErrorBodySchema.safeParse(await res.json().catch(() => null));
  if (body.success) return LoupeError.fromBody(body.data);
  // A proxy in front of a stopped server answers 502/504 without our error body.
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return new LoupeError(
      'SERVER_UNREACHABLE',
      `The Loupe server cannot be reached (HTTP ${res.status})`,
    );
  }
  return new LoupeError('INTERNAL', `The server answered HTTP ${res.status}`);
}

async function json<S extends z.ZodType>(
  schema: S,
  path: string,
  init?: RequestInit,
): Promise<z.output<S>> {
  const res = await request(path, init);
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success)
    throw new LoupeError(
      'INTERNAL',
      `Unexpected response from ${path}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

const post = (signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  ...(signal ? { signal } : {}),
});

export const api = {
  /** /ready answers 503 with the same body while not ready; both mean "reachable". */
  async ready(signal?: AbortSignal) {
    let res: Response;
    try {
      res = await fetch('/ready', { signal: signal ?? null });
    } catch {
      throw new LoupeError('SERVER_UNREACHABLE');
    }
    const parsed = ReadySchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success)
      throw new LoupeError(
        'SERVER_UNREACHABLE',
        `The Loupe server cannot be reached (HTTP ${res.status})`,
      );
    return parsed.data;
  },
  gpuStatus: (signal?: AbortSignal) =>
    json(GpuStatusSchema, '/api/gpu/status', { signal: signal ?? null }),
  models: (signal?: AbortSignal) =>
    json(ModelsResponseSchema, '/api/models', { signal: signal ?? null }),
  manifest: (signal?: AbortSignal) =>
    json(ManifestSchema, '/models/manifest.json', { signal: signal ?? null }),
  offload: () => json(GpuActionResponseSchema, '/api/gpu/offload', post()),
  release: () => json(GpuActionResponseSchema, '/api/gpu/release', post()),

  /** Submits an edit as an async job. The image travels as lossless PNG so both sides see the same pixels. */
  async createJob(image: Blob, steps: readonly Step[], signal?: AbortSignal) {
    const form = new FormData();
    form.append('steps', JSON.stringify(steps));
    form.append('format', 'png');
    form.append('image', image, 'input.png');
    return json(CreateJobResponseSchema, '/api/jobs', {
      method: 'POST',
      body: form,
      signal: signal ?? null,
    });
  },

  async *jobEvents(id: string, signal?: AbortSignal): AsyncGenerator<JobEvent> {
    const res = await request(`/api/jobs/${encodeURIComponent(id)}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: signal ?? null,
    });
    if (!res.body) throw new LoupeError('INTERNAL', 'The job event stream has no body');
    yield* readJobEvents(res.body);
  },

  async jobResult(id: string, signal?: AbortSignal): Promise<Blob> {
    return (
      await request(`/api/jobs/${encodeURIComponent(id)}/result`, { signal: signal ?? null })
    ).blob();
  },

  /** Best effort: the job may already have ended, which is fine. */
  async cancelJob(id: string): Promise<void> {
    await fetch(`/api/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(() => {});
  },
};
