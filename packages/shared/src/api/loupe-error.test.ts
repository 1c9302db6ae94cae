import { describe, expect, it } from 'vitest';
import { ErrorBodySchema, ErrorPayloadSchema, LoupeError, toErrorPayload } from './loupe-error';

describe('one error payload on every boundary', () => {
  const error = new LoupeError('INVALID_PARAMS', 'scale must be 2, 3, 4 or 8', [
    { path: 'steps.0.params.scale', message: 'Invalid option' },
  ]);

  it('is the HTTP body plus the request id, and round-trips with its fields', () => {
    const payload = ErrorPayloadSchema.parse(error.toPayload());
    expect(ErrorBodySchema.parse(error.toBody('req-1'))).toEqual({
      error: { ...payload, requestId: 'req-1' },
    });
    const back = LoupeError.fromPayload(payload);
    expect([back.code, back.message, back.fields, back.status]).toEqual([
      'INVALID_PARAMS',
      'scale must be 2, 3, 4 or 8',
      [{ path: 'steps.0.params.scale', message: 'Invalid option' }],
      400,
    ]);
  });

  it('normalises anything thrown: a LoupeError keeps its code, the rest takes the given one', () => {
    expect(toErrorPayload(error).code).toBe('INVALID_PARAMS');
    expect(toErrorPayload(new Error('device lost'), 'INFERENCE_FAILED')).toEqual({
      code: 'INFERENCE_FAILED',
      message: 'device lost',
    });
    expect(toErrorPayload('boom')).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(new LoupeError('CANCELLED').toPayload()).toEqual({
      code: 'CANCELLED',
      message: 'Cancelled',
    });
  });
});
