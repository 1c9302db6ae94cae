import { LoupeError, toErrorPayload, type ErrorPayload } from '../../api/loupe-error';
import type { AbortSignalLike } from '../model-runner';

/**
 * How a failed run is reported over the wire (worker → page, child → server). After a cancel
 * every failure is the cancel's, whatever the runtime threw while being interrupted; otherwise
 * a LoupeError keeps its code and anything else is an inference failure with its message.
 *
 * @example runFailurePayload(new Error('kernel failed'), signal) // { code: 'INFERENCE_FAILED', message: 'kernel failed' }
 */
export function runFailurePayload(e: unknown, signal: AbortSignalLike): ErrorPayload {
  if (signal.aborted) return new LoupeError('CANCELLED').toPayload();
  return toErrorPayload(e, 'INFERENCE_FAILED');
}
