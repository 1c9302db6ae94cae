import { describe, expect, it } from 'vitest';
import type { EditMetadata } from '../api/execution';
import { PROTOCOL_VERSION } from './version';
import {
  TERMINAL_RESPONSE_TYPES,
  WorkerRequestSchema,
  WorkerResponseSchema,
  messageTransfer,
  type WorkerRequest,
  type WorkerResponse,
} from './worker-messages';

// Shared compiles without DOM or Node types; both runtimes have structuredClone.
declare const structuredClone: <T>(value: T, options?: { transfer?: ArrayBuffer[] }) => T;

const image = (width: number, height: number) => ({
  width,
  height,
  data: new Uint8Array(width * height * 4),
});

const metadata: EditMetadata = {
  steps: [{ op: 'upscale', params: { model: 'slim', scale: 2 } }],
  models: ['esrgan-slim-x2'],
  placement: 'browser',
  ep: 'wasm',
  device: 'WASM, 4 threads',
  fallback: { from: 'webgpu', reason: 'GPU device was lost' },
  timings: { queueMs: 0, decodeMs: 0, inferMs: 12, encodeMs: 0, totalMs: 15 },
  tiles: 1,
  input: { width: 2, height: 1 },
  output: { width: 4, height: 2 },
};

describe('worker requests', () => {
  it('validates run steps with the op schemas and fills defaults', () => {
    const parsed = WorkerRequestSchema.parse({
      v: PROTOCOL_VERSION,
      id: '7',
      type: 'run',
      image: image(2, 1),
      steps: [{ op: 'upscale', params: { scale: 4 } }, { op: 'invert' }],
      ep: 'webgpu',
    });
    expect(parsed.type === 'run' && parsed.steps).toEqual([
      { op: 'upscale', params: { model: 'slim', scale: 4 } },
      { op: 'invert', params: {} },
    ]);
  });

  it('rejects bad params with the field path, a wrong buffer size, an unknown EP and another protocol version', () => {
    const run = {
      v: PROTOCOL_VERSION,
      id: '1',
      type: 'run',
      image: image(2, 1),
      steps: [{ op: 'upscale' }],
      ep: 'wasm',
    };
    const badStep = WorkerRequestSchema.safeParse({
      ...run,
      steps: [{ op: 'upscale', params: { scale: 5 } }],
    });
    expect(badStep.success).toBe(false);
    expect(badStep.error?.issues[0]?.message).toContain('steps.0.params.scale');
    const badBuffer = WorkerRequestSchema.safeParse({
      ...run,
      image: { width: 2, height: 2, data: new Uint8Array(8) },
    });
    expect(badBuffer.error?.issues[0]?.path).toEqual(['image', 'data']);
    expect(WorkerRequestSchema.safeParse({ ...run, ep: 'cuda' }).success).toBe(false);
    expect(WorkerRequestSchema.safeParse({ ...run, v: PROTOCOL_VERSION + 1 }).success).toBe(false);
    expect(WorkerRequestSchema.safeParse(run).success).toBe(true);
  });

  it('cancels by the id of the run', () => {
    const parsed = WorkerRequestSchema.parse({
      v: PROTOCOL_VERSION,
      id: '9',
      type: 'cancel',
      target: '7',
    });
    expect(parsed).toEqual({ v: PROTOCOL_VERSION, id: '9', type: 'cancel', target: '7' });
    expect(
      WorkerRequestSchema.safeParse({ v: PROTOCOL_VERSION, id: '9', type: 'cancel' }).success,
    ).toBe(false);
  });
});

describe('worker responses', () => {
  it('round-trips a result through structured clone with its pixels and fallback', () => {
    const result: WorkerResponse = {
      v: PROTOCOL_VERSION,
      id: '7',
      type: 'result',
      image: image(4, 2),
      metadata,
    };
    result.image.data[5] = 200;
    const cloned = structuredClone(result, { transfer: messageTransfer(result) });
    expect(result.image.data.byteLength).toBe(0); // transferred, not copied
    const parsed = WorkerResponseSchema.parse(cloned);
    expect(parsed.type === 'result' && parsed.image.data[5]).toBe(200);
    expect(parsed.type === 'result' && parsed.metadata.fallback).toEqual({
      from: 'webgpu',
      reason: 'GPU device was lost',
    });
  });

  it('moves every picture of a count > 1 result, in seed order, each buffer transferred', () => {
    const variations = [image(4, 2), image(4, 2)];
    variations[0]!.data[0] = 11;
    variations[1]!.data[0] = 22;
    const result: WorkerResponse = {
      v: PROTOCOL_VERSION,
      id: '8',
      type: 'result',
      image: image(4, 2),
      variations,
      metadata,
    };
    const transfer = messageTransfer(result);
    expect(transfer).toHaveLength(3);
    const cloned = structuredClone(result, { transfer });
    expect(variations.map((v) => v.data.byteLength)).toEqual([0, 0]);
    const parsed = WorkerResponseSchema.parse(cloned);
    expect(parsed.type === 'result' && parsed.variations?.map((v) => v.data[0])).toEqual([11, 22]);
    const wrongSize = { ...cloned, variations: [{ width: 4, height: 2, data: new Uint8Array(3) }] };
    expect(WorkerResponseSchema.safeParse(wrongSize).error?.issues[0]?.path).toEqual([
      'variations',
      0,
      'data',
    ]);
  });

  it('carries errors only with shared error codes', () => {
    const ok = {
      v: PROTOCOL_VERSION,
      id: '1',
      type: 'error',
      error: { code: 'CANCELLED', message: 'Cancelled' },
    };
    expect(WorkerResponseSchema.safeParse(ok).success).toBe(true);
    expect(
      WorkerResponseSchema.safeParse({ ...ok, error: { code: 'OOPS', message: 'x' } }).success,
    ).toBe(false);
  });

  it('reports download bytes for a known model only', () => {
    const download = { model: 'esrgan-slim-x2', loaded: 10, total: 894847, fromCache: false };
    expect(
      WorkerResponseSchema.safeParse({ v: PROTOCOL_VERSION, id: '1', type: 'download', download })
        .success,
    ).toBe(true);
    expect(
      WorkerResponseSchema.safeParse({
        v: PROTOCOL_VERSION,
        id: '1',
        type: 'download',
        download: { ...download, model: 'gpt' },
      }).success,
    ).toBe(false);
  });

  it('names the model and EP whose session is being made, and is not an answer', () => {
    const preparing = { v: PROTOCOL_VERSION, id: '1', type: 'preparing' };
    const session = { model: 'isnet-quint8', ep: 'wasm' };
    expect(WorkerResponseSchema.safeParse({ ...preparing, session }).success).toBe(true);
    expect(
      WorkerResponseSchema.safeParse({ ...preparing, session: { ...session, ep: 'cuda' } }).success,
    ).toBe(false);
    expect(TERMINAL_RESPONSE_TYPES.preparing).toBe(false);
  });

  it('transfers only pixel buffers', () => {
    expect(messageTransfer({ v: PROTOCOL_VERSION, id: '1', type: 'probe' })).toEqual([]);
    const run = {
      v: PROTOCOL_VERSION,
      id: '1',
      type: 'run',
      image: image(1, 1),
      steps: [],
      ep: 'wasm',
    } satisfies WorkerRequest;
    expect(messageTransfer(run)).toEqual([run.image.data.buffer]);
  });
});

describe('preview messages', () => {
  const preview = {
    v: PROTOCOL_VERSION,
    id: '3',
    type: 'preview',
    image: image(2, 1),
    steps: [{ op: 'blur', params: { radius: 2 } }],
    ep: 'wasm',
    inputKey: 'p1-4',
  } satisfies WorkerRequest;

  it('validate a preview’s steps like a run’s, and its input key', () => {
    const parsed = WorkerRequestSchema.parse(preview);
    expect(parsed.type === 'preview' && parsed.steps).toEqual([
      { op: 'blur', params: { radius: 2 } },
    ]);
    expect(parsed.type === 'preview' && parsed.inputKey).toBe('p1-4');
    const badStep = WorkerRequestSchema.safeParse({
      ...preview,
      steps: [{ op: 'blur', params: { radius: 0 } }],
    });
    expect(badStep.error?.issues[0]?.message).toContain('steps.0.params.radius');
    expect(WorkerRequestSchema.safeParse({ ...preview, inputKey: '' }).success).toBe(false);
    const { inputKey: _key, ...keyless } = preview;
    expect(WorkerRequestSchema.safeParse(keyless).success).toBe(true);
  });

  it('transfer their pixels both ways, and the answer parses with its EP', () => {
    expect(messageTransfer(preview)).toEqual([preview.image.data.buffer]);
    const answer: WorkerResponse = {
      v: PROTOCOL_VERSION,
      id: '3',
      type: 'preview-result',
      image: image(2, 1),
      ep: 'wasm',
    };
    answer.image.data[2] = 77;
    const cloned = structuredClone(answer, { transfer: messageTransfer(answer) });
    expect(answer.image.data.byteLength).toBe(0);
    const parsed = WorkerResponseSchema.parse(cloned);
    expect(parsed.type === 'preview-result' && parsed.image.data[2]).toBe(77);
    expect(WorkerResponseSchema.safeParse({ ...answer, ep: 'cuda' }).success).toBe(false);
  });
});
