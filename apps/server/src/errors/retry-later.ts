import { LoupeError } from '@loupe/shared';

/**
 * A refusal that says when to come back: the error handler turns `retryAfterSeconds` into the
 * Retry-After header, so load balancers and the clients' backoff see the same number.
 */
export class RetryLaterError extends LoupeError {
  constructor(
    code: 'QUEUE_FULL' | 'NOT_READY' | 'RATE_LIMITED',
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(code, message);
  }
}
