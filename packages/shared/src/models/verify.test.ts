import { describe, expect, it } from 'vitest';
import { LoupeError } from '../api/loupe-error';
import type { ManifestEntry } from './manifest';
import { sha256Hex, verifyModelBytes } from './verify';

const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);

async function entryFor(data: Uint8Array): Promise<ManifestEntry> {
  return {
    id: 'filter-blur',
    file: 'filter-blur.onnx',
    bytes: data.byteLength,
    sha256: await sha256Hex(data),
    source: { package: '@loupe/model-tools', version: '0.1.0', files: [] },
    license: 'MIT',
    inputs: [],
    outputs: [],
    scale: 1,
    flopsPerInputPixel: 0,
  };
}

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', async () => {
    const abc = Uint8Array.of(0x61, 0x62, 0x63);
    expect(await sha256Hex(abc)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('verifyModelBytes', () => {
  it('accepts the bytes the entry was made from', async () => {
    await expect(verifyModelBytes(await entryFor(bytes), bytes)).resolves.toBeUndefined();
  });

  it('rejects one flipped byte with MODEL_UNAVAILABLE naming the file, both hashes and the fix', async () => {
    const entry = await entryFor(bytes);
    const corrupted = Uint8Array.from(bytes);
    corrupted[500] = corrupted[500]! ^ 0x01;
    const error = await verifyModelBytes(entry, corrupted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoupeError);
    const { code, message, status } = error as LoupeError;
    expect(code).toBe('MODEL_UNAVAILABLE');
    expect(status).toBe(503);
    expect(message).toContain('filter-blur.onnx');
    expect(message).toContain(entry.sha256);
    expect(message).toContain(await sha256Hex(corrupted));
    expect(message).toContain('pnpm models');
  });

  it('reports a truncated file by size', async () => {
    const error = (await verifyModelBytes(await entryFor(bytes), bytes.subarray(0, 999)).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toContain('999 bytes, expected 1000');
  });
});
