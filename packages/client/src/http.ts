import { ErrorBodySchema, LoupeError, issuesFromZod } from '@loupe/shared';
import type { z } from 'zod';
import { InvalidResponseError, LoupeApiError, parseRetryAfter } from './errors';

/** The one network primitive the client uses; `globalThis.fetch` unless injected. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /**
   * Where the server is, e.g. `http://127.0.0.1:8787` (a path prefix is kept).
   * Empty for same-origin paths: the web app, served by the server or proxied by Vite.
   */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>` (the server's LOUPE_API_TOKEN). */
  token?: string;
  /** For tracing, a proxy agent, or a test that cuts the network. */
  fetch?: Fetch;
}

/** What every call accepts. Aborting rejects with `LoupeError('CANCELLED')`. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: FormData | string;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses whose body is the answer rather than an error (503 from /ready). */
  answers?: readonly number[];
}

/** Sends requests to one server and turns every failure into a typed `LoupeError`. */
export class Http {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #fetch: Fetch;

  constructor(options: ClientOptions = {}) {
    this.#base = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.#token = options.token;
    // Called unbound: browsers refuse window.fetch invoked as a method of another object.
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The response of an answered request; error answers become `LoupeApiError`. */
  async send(req: HttpRequest): Promise<Response> {
    const headers: Record<string, string> = { ...req.headers };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (typeof req.body === 'string') headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}${req.path}`, {
        method: req.method ?? 'GET',
        headers,
        signal: req.signal ?? null,
        ...(req.body === undefined ? {} : { body: req.body }),
      });
    } catch (e) {
      throw networkError(e, req.signal);
    }
    if (res.ok || req.answers?.includes(res.status)) return res;
    throw await errorFrom(res, endpoint(req), req.signal);
  }

  /** Sends and validates the JSON answer with a shared schema. */
  async json<S extends z.ZodType>(schema: S, req: HttpRequest): Promise<z.output<S>> {
    const res = await this.send(req);
    const text = await readBody(() => res.text(), req.signal);
    if (res.ok) return parse(schema, text, endpoint(req), res.status);
    // An accepted error status whose body is not the answer's shape is an ordinary error answer.
    try {
      return parse(schema, text, endpoint(req), res.status);
    } catch {
      throw errorOf(res, text, endpoint(req));
    }
  }
}

export function endpoint(req: HttpRequest): string {
  return `${req.method ?? 'GET'} ${req.path.split('?')[0]}`;
}

/**
 * Validates a JSON text against a shared schema.
 *
 * @throws InvalidResponseError when it is not JSON or not of the schema's shape.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  text: string,
  where: string,
  status: number,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(where, status, [
      { path: '', message: `not JSON: ${text.slice(0, 80)}` },
    ]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidResponseError(where, status, issuesFromZod(parsed.error));
  return parsed.data;
}

/** Reads a body, mapping an abort or a connection dropped mid-body like a failed request. */
export async function readBody<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw networkError(e, signal);
  }
}

export function networkError(e: unknown, signal: AbortSignal | undefined): LoupeError {
  if (signal?.aborted) return new LoupeError('CANCELLED');
  return new LoupeError(
    'SERVER_UNREACHABLE',
    `The Loupe server cannot be reached (${(e as Error).message})`,
  );
}

async function errorFrom(res: Response, where: string, signal?: AbortSignal): Promise<LoupeError> {
  return errorOf(res, await readBody(() => res.text(), signal), where);
}

function errorOf(res: Response, text: string, where: string): LoupeError {
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  const json = tryJson(text);
  const body = ErrorBodySchema.safeParse(json);
  if (body.success) return new LoupeApiError(res.status, body.data.error, retryAfter);
  // A proxy in front of a stopped server answers these without our error body.
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return new LoupeApiError(
      res.status,
      {
        code: 'SERVER_UNREACHABLE',
        message: `The Loupe server cannot be reached (HTTP ${res.status})`,
      },
      retryAfter,
    );
  }
  return new InvalidResponseError(
    where,
    res.status,
    json === undefined
      ? [{ path: '', message: `not JSON: ${text.slice(0, 80)}` }]
      : issuesFromZod(body.error),
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
