import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobRecord, type JobRecord } from '../src/jobs/job';
import { ResultStore } from '../src/jobs/result-store';

function finishedJob(id: string, bytes: number, finishedAt: number): JobRecord {
  const job = createJobRecord(
    id,
    {
      steps: [],
      input: { width: 1, height: 1, format: 'png' },
      format: 'png',
      quality: 90,
      compression: 'fast',
      receivedAt: 0,
      decodeMs: 0,
      retain: true,
    },
    { kind: 'inline', width: 1, height: 1, data: new Uint8Array(4) },
  );
  job.state = 'succeeded';
  job.finishedAt = finishedAt;
  job.result = { kind: 'inline', bytes: new Uint8Array(bytes), size: bytes, mime: 'image/png' };
  return job;
}

describe('ResultStore', () => {
  it('drops the oldest results beyond the byte budget and forgets jobs after the TTL', () => {
    let now = 1_000;
    const forgotten: string[] = [];
    const store = new ResultStore(
      60_000,
      250,
      (job) => forgotten.push(job.id),
      () => now,
    );
    const [a, b, c] = [
      finishedJob('a', 100, now),
      finishedJob('b', 100, now + 1),
      finishedJob('c', 100, now + 2),
    ];
    store.add(a);
    store.add(b);
    expect(store.totalBytes).toBe(200);
    expect(a.resultExpiresAt).toBe(61_000);
    store.add(c);
    expect(store.totalBytes).toBe(200);
    expect([a.result, b.result?.size, c.result?.size]).toEqual([undefined, 100, 100]);
    expect(a.resultExpiresAt).toBeUndefined();

    now = 61_001;
    store.sweep();
    expect(forgotten).toEqual(['a', 'b']);
    expect(store.totalBytes).toBe(100);
    now = 61_002;
    store.sweep();
    expect(forgotten).toEqual(['a', 'b', 'c']);
    expect(store.totalBytes).toBe(0);
  });

  it('deletes a result file when its result is dropped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-results-'));
    try {
      const path = join(dir, 'a.png');
      await writeFile(path, Buffer.alloc(300));
      const store = new ResultStore(60_000, 250, () => {});
      const a = finishedJob('a', 0, Date.now());
      a.result = { kind: 'file', path, size: 300, mime: 'image/png' };
      store.add(a);
      expect(a.result).toBeUndefined();
      expect(store.totalBytes).toBe(0);
      await expect.poll(() => readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
