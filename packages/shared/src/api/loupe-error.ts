import { z } from 'zod';
import type { FieldIssue } from '../ops/pipeline';
import { ERROR_CODES, ERROR_CODE_LIST, type ErrorCode } from './error-codes';

/** The one JSON error shape every endpoint returns. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODE_LIST),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * An error with a code from the shared set, thrown on either side and carried across
 * worker and HTTP boundaries as `{ code, message, fields }`.
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

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields?.length ? { fields: this.fields } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
  }

  static fromBody(body: ErrorBody): LoupeError {
    return new LoupeError(body.error.code, body.error.message, body.error.fields);
  }
}

export function isLoupeError(e: unknown): e is LoupeError {
  return e instanceof LoupeError;
}
