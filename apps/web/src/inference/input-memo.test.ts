import type { TensorData } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { InputMemoStore } from './input-memo';

const result = (v: number): Record<string, TensorData> => ({
  mask: { data: Float32Array.of(v), dims: [1, 1, 1, 1] },
});

describe('the worker’s memo of input pictures', () => {
  it('gives a run on the same picture, model and EP back what an earlier run kept', () => {
    const memos = new InputMemoStore();
    memos.forRun('p1', 'wasm')!.set('isnet-quint8', result(0.5));
    expect(memos.forRun('p1', 'wasm')!.get('isnet-quint8')).toEqual(result(0.5));
    expect(memos.forRun('p2', 'wasm')!.get('isnet-quint8')).toBeUndefined();
    expect(memos.forRun('p1', 'webgpu')!.get('isnet-quint8')).toBeUndefined();
    expect(memos.forRun('p1', 'wasm')!.get('isnet-fp16')).toBeUndefined();
    expect(memos.forRun(undefined, 'wasm')).toBeUndefined();
  });

  it('lets a preview read what runs kept but never keep what a shrunk copy gave', () => {
    const memos = new InputMemoStore();
    memos.forPreview('p1', 'wasm')!.set('isnet-quint8', result(0.1));
    expect(memos.size).toBe(0);
    memos.forRun('p1', 'wasm')!.set('isnet-quint8', result(0.9));
    expect(memos.forPreview('p1', 'wasm')!.get('isnet-quint8')).toEqual(result(0.9));
  });

  it('lets the least recently used picture go first beyond its capacity', () => {
    const memos = new InputMemoStore(2);
    memos.forRun('a', 'wasm')!.set('isnet-quint8', result(1));
    memos.forRun('b', 'wasm')!.set('isnet-quint8', result(2));
    // Reading a keeps it: b is now the oldest.
    memos.forRun('a', 'wasm')!.get('isnet-quint8');
    memos.forRun('c', 'wasm')!.set('isnet-quint8', result(3));
    expect(memos.size).toBe(2);
    expect(memos.forRun('b', 'wasm')!.get('isnet-quint8')).toBeUndefined();
    expect(memos.forRun('a', 'wasm')!.get('isnet-quint8')).toEqual(result(1));
    expect(memos.forRun('c', 'wasm')!.get('isnet-quint8')).toEqual(result(3));
  });
});
