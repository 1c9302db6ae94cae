import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../src/model-files';
import { ModelResidency } from '../src/residency';

/** The built models (`pnpm models`), as the server finds them by default. */
const modelsDir = resolve(import.meta.dirname, '..', '..', '..', 'public', 'models');

describe('ModelResidency', () => {
  it('never double-loads, never drops a model in use, and counts every transition', async () => {
    let now = 0;
    let changes = 0;
    const residency = new ModelResidency(
      await readManifest(modelsDir),
      modelsDir,
      'cpu',
      () => changes++,
      () => now,
    );
    const id = 'filter-adjust';
    const state = () => residency.snapshot().find((m) => m.id === id)!;
    expect(state()).toMatchObject({ residency: 'unloaded', inUse: 0, lastUsedAt: null });

    const [a, b] = await Promise.all([residency.acquire(id), residency.acquire(id)]);
    expect(a).toBe(b);
    expect(state()).toMatchObject({
      residency: 'device',
      inUse: 2,
      counters: { loads: 1, reloads: 0 },
    });
    expect(await residency.apply('release', [id])).toEqual({ affected: [], skippedInUse: [id] });
    expect(await residency.offloadIdle(0)).toEqual([]);

    now = 5_000;
    residency.release(id);
    residency.release(id);
    expect(state()).toMatchObject({ inUse: 0, lastUsedAt: 5_000 });
    now = 6_000;
    expect(await residency.offloadIdle(2_000)).toEqual([]);
    now = 7_000;
    expect(await residency.offloadIdle(2_000)).toEqual([id]);
    expect(state()).toMatchObject({ residency: 'ram', counters: { loads: 1, offloads: 1 } });

    await residency.acquire(id);
    residency.release(id);
    expect(state()).toMatchObject({
      residency: 'device',
      counters: { loads: 1, reloads: 1, offloads: 1 },
    });
    expect(await residency.apply('release')).toEqual({ affected: [id], skippedInUse: [] });
    expect(state()).toMatchObject({
      residency: 'unloaded',
      counters: { loads: 1, reloads: 1, offloads: 1, releases: 1 },
      // Released: no idle time to report (the panel's idle timer stops).
      lastUsedAt: null,
    });
    // Nothing left to offload or release: no phantom counts.
    expect(await residency.apply('offload', [id])).toEqual({ affected: [], skippedInUse: [] });
    expect(changes).toBeGreaterThan(0);
  });

  it('a model missing from the manifest fails with MODEL_UNAVAILABLE and the fix', async () => {
    const manifest = await readManifest(modelsDir);
    const residency = new ModelResidency(
      { ...manifest, models: manifest.models.filter((m) => m.id !== 'filter-blur') },
      modelsDir,
      'cpu',
    );
    await expect(residency.acquire('filter-blur')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('pnpm models'),
    });
    expect(residency.snapshot().some((m) => m.id === 'filter-blur')).toBe(false);
  });
});
