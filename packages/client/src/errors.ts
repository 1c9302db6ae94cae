import { LoupeError, type ErrorBody, type FieldIssue } from '@loupe/shared';

/**
 * The server answered with an error: Loupe's one error body (`ErrorBodySchema`), or a bare
 * 502/503/504 from a proxy in front of a stopped server (code `SERVER_UNREACHABLE`).
 * It is a `LoupeError`, so code-keyed messages work the same for browser and server failures.
 *
 * @example
 * try { await client.edit(file, { op: 'upscale', params: { scale: 3 } }) }
 * catch (e) { if (e instanceof LoupeApiError && e.code === 'INVALID_PARAMS') show(e.fields) }
 */
export class LoupeApiError extends LoupeError {
  /** Seconds to wait before trying again, from `Retry-After` (queue full, rate limited). */
  readonly retryAfter: number | undefined;
  /** The server's id for the request, to find it in the server's log. */
  readonly requestId: string | undefined;
  readonly #status: number;

  constructor(status: number, error: ErrorBody['error'], retryAfter?: number) {
    super(error.code, error.message, error.fields);
    this.#status = status;
    this.retryAfter = retryAfter;
    this.requestId = error.requestId;
  }

  /** The HTTP status as answered, which for a proxy's answer may differ from the code's usual one. */
  override get status(): number {
    return this.#status;
  }
}

/**
 * A 2xx answer (or an error answer without Loupe's error body) that does not match the shared
 * schema: the server and this client disagree about the contract, or something else answered.
 */
export class InvalidResponseError extends LoupeError {
  readonly #status: number;

  constructor(
    /** Which call got it, e.g. `GET /api/gpu/status`. */
    readonly endpoint: string,
    status: number,
    /** What did not match, as dotted paths into the body. */
    readonly issues: readonly FieldIssue[],
  ) {
    const first = issues[0];
    const what = first ? `: ${[first.path, first.message].filter(Boolean).join(': ')}` : '';
    super('INTERNAL', `Unexpected response from ${endpoint} (HTTP ${status})${what}`);
    this.#status = status;
  }

  override get status(): number {
    return this.#status;
  }
}

/**
 * `Retry-After` in seconds: either form the header allows (delta-seconds or an HTTP date).
 *
 * @example parseRetryAfter('5') // 5
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
