import { z } from 'zod';
import type { FieldIssue } from '../ops/pipeline';
import { ERROR_CODES, ERROR_CODE_LIST, type ErrorCode } from './error-codes';

/**
 * An error as it crosses any boundary: child → server, worker → page, a failed job, and (with a
 * request id) the HTTP error body. `fields` names the parameters at fault, when there are any.
 *
 * @example { code: 'INVALID_PARAMS', message: 'Some parameters are invalid',
 *   fields: [{ path: 'steps.0.params.scale', message: 'Invalid option' }] }
 */
export const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODE_LIST),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/** The one JSON error shape every endpoint returns: the payload and the request it answers. */
export const ErrorBodySchema = z.object({
  error: ErrorPayloadSchema.extend({ requestId: z.string().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * An error with a code from the shared set, thrown on either side and carried across
 * worker, process and HTTP boundaries as an `ErrorPayload`.
 *
 * @example throw new LoupeError('IMAGE_TOO_LARGE', 'Image is 20000×20000; the limit is 50 MP');
 */
export class LoupeError extends Error {
  override readonly name = 'LoupeError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].title,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields?.length ? { fields: this.fields } : {}),
    };
  }

  toBody(requestId?: string): ErrorBody {
    return { error: { ...this.toPayload(), ...(requestId ? { requestId } : {}) } };
  }

  static fromPayload(payload: ErrorPayload): LoupeError {
    return new LoupeError(payload.code, payload.message, payload.fields);
  }

  static fromBody(body: ErrorBody): LoupeError {
    return LoupeError.fromPayload(body.error);
  }
}

export function isLoupeError(e: unknown): e is LoupeError {
  return e instanceof LoupeError;
}

/**
 * Any thrown value as a payload for the wire: a LoupeError keeps its code and fields; anything
 * else (a runtime's own Error, a string) gets `code` and its message.
 *
 * @example toErrorPayload(new Error('device lost'), 'INFERENCE_FAILED')
 *   // { code: 'INFERENCE_FAILED', message: 'device lost' }
 */
export function toErrorPayload(e: unknown, code: ErrorCode = 'INTERNAL'): ErrorPayload {
  if (isLoupeError(e)) return e.toPayload();
  return { code, message: e instanceof Error ? e.message : String(e) };
}
