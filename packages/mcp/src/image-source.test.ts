import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoupeError } from '@loupe/shared';
import { readImageSource, type ImageSourcePolicy } from './image-source';

const policy: ImageSourcePolicy = { allowUrls: [], allowFiles: true, maxBytes: 16 };
const bytes = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
const base64 = Buffer.from(bytes).toString('base64');

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(LoupeError);
  return e as LoupeError;
};

describe('image sources', () => {
  it('base64, with or without a data: prefix or line breaks, gives the same bytes', async () => {
    expect(await readImageSource({ base64 }, 'image', policy)).toEqual(bytes);
    const wrapped = `data:image/png;base64,${base64.slice(0, 6)}\n${base64.slice(6)}`;
    expect(await readImageSource({ base64: wrapped }, 'image', policy)).toEqual(bytes);
  });

  it('refuses what is not base64, and more than maxBytes, naming the argument', async () => {
    const notBase64 = await refusal(readImageSource({ base64: 'not base64!' }, 'images.1', policy));
    expect(notBase64.fields).toEqual([{ path: 'images.1.base64', message: 'is not base64' }]);
    const big = Buffer.alloc(17).toString('base64');
    const tooBig = await refusal(readImageSource({ base64: big }, 'image', policy));
    expect([tooBig.code, tooBig.fields?.[0]?.path]).toEqual(['PAYLOAD_TOO_LARGE', 'image.base64']);
  });

  it('reads a file, refuses a missing one, a folder, and any path when files are off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-mcp-source-'));
    writeFileSync(join(dir, 'a.png'), bytes);
    expect(await readImageSource({ path: join(dir, 'a.png') }, 'image', policy)).toEqual(bytes);
    const missing = await refusal(readImageSource({ path: join(dir, 'b.png') }, 'image', policy));
    expect(missing.message).toMatch(/^image\.path: no file at .*b\.png$/);
    expect((await refusal(readImageSource({ path: dir }, 'image', policy))).message).toMatch(
      /is not a file/,
    );
    const off = await refusal(
      readImageSource({ path: join(dir, 'a.png') }, 'image', { ...policy, allowFiles: false }),
    );
    expect(off.message).toMatch(/file paths are not read over HTTP/);
    writeFileSync(join(dir, 'big.png'), Buffer.alloc(17));
    expect(
      (await refusal(readImageSource({ path: join(dir, 'big.png') }, 'image', policy))).code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });
});
