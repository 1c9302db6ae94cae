import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  FromChildSchema,
  ToChildSchema,
  type ChildAnswer,
  type FromChild,
  type ToChild,
} from './child-messages';
import { IncompatibleMessageSchema, receive } from './envelope';
import { PROTOCOL_VERSION } from './version';

// Node IPC's 'advanced' serialization is V8's structured serializer, as structuredClone is.
declare const structuredClone: <T>(value: T) => T;

const run = {
  v: PROTOCOL_VERSION,
  id: 'r1',
  type: 'run',
  jobId: 'job-1',
  attempt: 1,
  steps: [{ op: 'upscale', params: { scale: 4 } }],
  image: { kind: 'inline', width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
  output: { format: 'png', quality: 90, compression: 'balanced' },
} satisfies ToChild;

const done = {
  v: PROTOCOL_VERSION,
  id: 'r1',
  type: 'done',
  outcome: {
    result: { kind: 'inline', size: 3, bytes: Uint8Array.of(0x89, 0x50, 0x4e) },
    width: 8,
    height: 4,
    models: ['esrgan-slim-x4'],
    tiles: 1,
    inferMs: 12.5,
    encodeMs: 1.5,
    ep: 'cpu',
    fallback: { from: 'cuda', reason: 'CUDA probe failed' },
  },
} satisfies FromChild;

describe('child-process messages', () => {
  it('round-trip through IPC serialization: run steps get their defaults, bytes survive', () => {
    const received = receive(ToChildSchema, structuredClone(run), 'INVALID_REQUEST');
    expect(received.ok).toBe(true);
    if (!received.ok || received.message.type !== 'run') return;
    expect(received.message.steps).toEqual([
      { op: 'upscale', params: { model: 'slim', scale: 4 } },
    ]);
    expect(received.message.image?.kind === 'inline' && [...received.message.image.data]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const answer = receive(FromChildSchema, structuredClone(done), 'INTERNAL');
    expect(answer.ok && answer.message).toEqual(done);
  });

  it('refuse bad requests with the path of the issue: pixels, steps, an unresolved compression, an unknown tag', () => {
    const pixels = receive(
      ToChildSchema,
      { ...run, image: { ...run.image, data: new Uint8Array(4) } },
      'INVALID_REQUEST',
    );
    expect(!pixels.ok && pixels.error.message).toContain('image.data: data length must be');
    const steps = receive(
      ToChildSchema,
      { ...run, steps: [{ op: 'upscale', params: { scale: 5 } }] },
      'INVALID_REQUEST',
    );
    expect(!steps.ok && steps.error.message).toContain('steps.0.params.scale');
    const { compression: _, ...unresolved } = run.output;
    const encoding = receive(ToChildSchema, { ...run, output: unresolved }, 'INVALID_REQUEST');
    expect(!encoding.ok && encoding.error.message).toContain('output.compression');
    const text = { parameters: 'a fox\nSteps: 28, Sampler: Euler, Seed: 1' };
    const withText = receive(
      ToChildSchema,
      { ...run, output: { ...run.output, text } },
      'INVALID_REQUEST',
    );
    expect(withText.ok && withText.message.type === 'run' && withText.message.output.text).toEqual(
      text,
    );
    const badKeyword = receive(
      ToChildSchema,
      { ...run, output: { ...run.output, text: { ' parameters': 'x' } } },
      'INVALID_REQUEST',
    );
    expect(!badKeyword.ok && badKeyword.error.message).toContain('a PNG text keyword');
    const unknown = receive(ToChildSchema, { ...run, type: 'explode' }, 'INVALID_REQUEST');
    expect(!unknown.ok && [unknown.id, unknown.error.code, unknown.reply]).toEqual([
      'r1',
      'INVALID_REQUEST',
      undefined,
    ]);
    expect(!unknown.ok && unknown.error.message).toContain("Invalid 'explode' message");
  });

  it('carry previews as encoded bytes, and runs with no input image', () => {
    const preview = {
      v: PROTOCOL_VERSION,
      id: 'r1',
      type: 'preview',
      step: 3,
      total: 8,
      image: { mime: 'image/jpeg', width: 8, height: 8, bytes: Uint8Array.of(0xff, 0xd8, 0xff) },
    } satisfies FromChild;
    const received = receive(FromChildSchema, structuredClone(preview), 'INTERNAL');
    expect(received.ok && received.message).toEqual(preview);
    const bare = receive(FromChildSchema, { ...preview, total: 0 }, 'INTERNAL');
    expect(!bare.ok && bare.error.message).toContain('total');
    const { image: _, ...imageless } = run;
    const noImage = receive(ToChildSchema, structuredClone(imageless), 'INVALID_REQUEST');
    expect(noImage.ok && noImage.message.type === 'run' && noImage.message.image).toBeUndefined();
  });

  it('carry errors only as the shared payload, with field issues', () => {
    const error = {
      v: PROTOCOL_VERSION,
      id: 'r1',
      type: 'error',
      error: {
        code: 'INVALID_PARAMS',
        message: 'bad',
        fields: [{ path: 'steps.0', message: 'x' }],
      },
    };
    expect(receive(FromChildSchema, error, 'INTERNAL')).toEqual({ ok: true, message: error });
    const unknownCode = receive(
      FromChildSchema,
      { ...error, error: { code: 'OOPS', message: 'x' } },
      'INTERNAL',
    );
    expect(!unknownCode.ok && unknownCode.error.code).toBe('INTERNAL');
  });

  it('name the answer each request expects', () => {
    expectTypeOf<ChildAnswer<'init'>['type']>().toEqualTypeOf<'ready'>();
    expectTypeOf<ChildAnswer<'run'>['type']>().toEqualTypeOf<'done'>();
    expectTypeOf<ChildAnswer<'cancel'>>().toBeNever();
  });
});

describe('receive: another protocol version', () => {
  it('is refused by its version before its fields are read, with a reply naming both versions', () => {
    const old = { v: PROTOCOL_VERSION - 1, id: 'r1', type: 'run', jobId: 'job-1' };
    const receipt = receive(ToChildSchema, old, 'INVALID_REQUEST');
    expect(receipt.ok).toBe(false);
    if (receipt.ok) return;
    expect(receipt.error.code).toBe('INCOMPATIBLE_PROTOCOL');
    expect(receipt.error.message).toContain(
      `Received protocol ${PROTOCOL_VERSION - 1}; this side speaks protocol ${PROTOCOL_VERSION}`,
    );
    expect(receipt.reply).toEqual({
      v: PROTOCOL_VERSION,
      type: 'incompatible',
      id: 'r1',
      received: PROTOCOL_VERSION - 1,
      message: receipt.error.message,
    });
  });

  it('without any version is refused the same way', () => {
    const receipt = receive(FromChildSchema, { type: 'ready', id: 'i1' }, 'INTERNAL');
    expect(!receipt.ok && receipt.reply?.received).toBeNull();
  });

  it("from the other side's `incompatible` becomes an error, and is not answered (no ping-pong)", () => {
    const refusal = {
      v: PROTOCOL_VERSION + 1,
      type: 'incompatible',
      id: 'i1',
      received: PROTOCOL_VERSION,
      message: 'no',
    };
    const receipt = receive(FromChildSchema, refusal, 'INTERNAL');
    expect(!receipt.ok && [receipt.id, receipt.error.code, receipt.reply]).toEqual([
      'i1',
      'INCOMPATIBLE_PROTOCOL',
      undefined,
    ]);
    expect(!receipt.ok && receipt.error.message).toContain(
      `speaks protocol ${PROTOCOL_VERSION + 1} and refused protocol ${PROTOCOL_VERSION}`,
    );
  });

  it('keeps the shape of `incompatible` frozen, so that every version can read it', () => {
    expect(Object.keys(IncompatibleMessageSchema.shape)).toEqual([
      'v',
      'type',
      'id',
      'received',
      'message',
    ]);
  });

  it('refuses what is not a protocol message at all', () => {
    const receipt = receive(FromChildSchema, 'hello', 'INTERNAL');
    expect(!receipt.ok && [receipt.error.code, receipt.reply]).toEqual(['INTERNAL', undefined]);
    expect(!receipt.ok && receipt.error.message).toContain('Not a Loupe protocol message');
  });
});
