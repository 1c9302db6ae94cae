import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LoupeError,
  MODELS,
  MODEL_IDS,
  isPermissive,
  verifyModelBytes,
  type ModelManifest,
} from '@loupe/shared';
import { modelsDir, readBuiltManifest } from './support/built-manifest';

describe('public/models/manifest.json', () => {
  const manifest: ModelManifest = readBuiltManifest();
  const expectedIds = MODEL_IDS.filter(
    (id) => !manifest.permissiveOnly || isPermissive(MODELS[id].license),
  );

  it('lists every model of MODELS (every permissive one with --permissive-only)', () => {
    const listed = manifest.models.map((m) => m.id);
    expect(expectedIds.filter((id) => !listed.includes(id))).toEqual([]);
    expect(listed.filter((id) => !expectedIds.includes(id))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('records license, scale and I/O names from the shared MODELS spec', () => {
    for (const entry of manifest.models) {
      const spec = MODELS[entry.id];
      expect(entry.license).toBe(spec.license);
      expect(entry.scale).toBe(spec.scale);
      expect(entry.inputs.map((i) => i.name)).toEqual([
        spec.input.name,
        ...(spec.paramInputs ?? []),
      ]);
      expect(entry.outputs.map((o) => o.name)).toEqual([spec.output.name]);
      expect(entry.outputs[0]!.dims[1]).toBe(spec.output.channels);
    }
  });

  it('matches every file it lists byte for byte', async () => {
    for (const entry of manifest.models) {
      const bytes = await readFile(join(modelsDir, entry.file));
      expect(bytes.byteLength, entry.file).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), entry.file).toBe(entry.sha256);
      await expect(verifyModelBytes(entry, bytes)).resolves.toBeUndefined();
    }
  });

  describe('a corrupted copy', () => {
    let dir = '';
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('is detected, naming the file', async () => {
      dir = await mkdtemp(join(tmpdir(), 'loupe-manifest-'));
      const entry = [...manifest.models].sort((a, b) => a.bytes - b.bytes)[0]!;
      const copy = join(dir, entry.file);
      await copyFile(join(modelsDir, entry.file), copy);
      const bytes = await readFile(copy);
      const middle = bytes.length >> 1;
      bytes[middle] = bytes[middle]! ^ 0xff;
      await writeFile(copy, bytes);
      const error = await verifyModelBytes(entry, await readFile(copy)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoupeError);
      expect((error as LoupeError).code).toBe('MODEL_UNAVAILABLE');
      expect((error as LoupeError).message).toContain(entry.file);
      expect((error as LoupeError).message).toContain(entry.sha256);
    });
  });
});
