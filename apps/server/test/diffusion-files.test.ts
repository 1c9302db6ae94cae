import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, ModelsResponseSchema } from '@loupe/shared';
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import { parseRange } from '../src/routes/api/diffusion-files';
import { startServer, type TestServer } from './support/server';

const TOKEN = 'diffusion-files-token';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * Issue #13 (browser side): the worker builds its sessions from a ready folder's files, served
 * by GET /api/models/diffusion/:id/files/* — only the names the scan listed, ETag = sha256.
 */
describe('GET /api/models/diffusion/:id/files/*', () => {
  const fixtures = tinyPipelineFixtures();
  let dir: string;
  let server: TestServer;
  const url = (id: string, path: string) =>
    `${server.base}/api/models/diffusion/${id}/files/${path}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-diffusion-files-'));
    cpSync(fixtures.path('diffusers-script-fp16'), join(dir, 'tiny'), { recursive: true });
    cpSync(fixtures.path('optimum-fp32'), join(dir, 'broken'), { recursive: true });
    writeFileSync(join(dir, 'broken', 'unet', 'model.onnx'), 'not an onnx graph');
    // Beside the folders: must never be reachable through a path like ../secret.txt.
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
    server = await startServer({ LOUPE_API_TOKEN: TOKEN, LOUPE_DIFFUSION_DIR: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tinyFiles = async () => {
    const res = await fetch(`${server.base}/api/models`, { headers: auth });
    const tiny = ModelsResponseSchema.parse(await res.json()).diffusion.models.find(
      (m) => m.id === 'tiny',
    );
    if (tiny?.status !== 'ready') throw new Error('tiny folder not ready');
    return tiny;
  };

  it('serves every listed file whole, with its sha256 as ETag, immutable', async () => {
    const tiny = await tinyFiles();
    // The external-data file of the UNet is one of them: the worker passes it as externalData.
    expect(tiny.files.map((f) => f.path)).toContain(tiny.parts.unet.externalData[0]);
    for (const file of tiny.files) {
      const res = await fetch(url('tiny', file.path), { headers: auth });
      expect(res.status, file.path).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(readFileSync(join(dir, 'tiny', file.path)))).toBe(true);
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
      expect(res.headers.get('etag')).toBe(`"${file.sha256}"`);
      expect(res.headers.get('content-length')).toBe(String(file.bytes));
      expect(res.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('answers 304 to its own ETag and a byte range as 206', async () => {
    const file = (await tinyFiles()).parts.unet;
    const onDisk = readFileSync(join(dir, 'tiny', file.file));
    const first = await fetch(url('tiny', file.file), { headers: auth });
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetch(url('tiny', file.file), {
      headers: { ...auth, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const part = await fetch(url('tiny', file.file), { headers: { ...auth, range: 'bytes=4-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-99/${onDisk.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(onDisk.subarray(4, 100))).toBe(true);
    const past = await fetch(url('tiny', file.file), {
      headers: { ...auth, range: `bytes=${onDisk.length}-` },
    });
    expect(past.status).toBe(416);
    expect(ErrorBodySchema.parse(await past.json()).error.code).toBe('INVALID_REQUEST');
  });

  it('is 404 for any name the scan did not list, an unusable folder and an unknown one', async () => {
    for (const [id, path] of [
      ['tiny', '../secret.txt'],
      ['tiny', '%2e%2e/secret.txt'],
      ['tiny', 'unet/../../secret.txt'],
      ['tiny', 'unet/missing.onnx'],
      ['tiny', 'unet'],
      ['broken', 'unet/model.onnx'],
      ['nope', 'unet/model.onnx'],
      ['..', 'secret.txt'],
    ] as const) {
      const res = await fetch(url(id, path), { headers: auth });
      expect(res.status, `${id}/${path}`).toBe(404);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('NOT_FOUND');
    }
  });

  it('needs the token like every /api route', async () => {
    const res = await fetch(url('tiny', 'model_index.json'));
    expect(res.status).toBe(401);
  });

  it('reads ranges the way HTTP defines them', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBeNull();
    expect(parseRange('bytes=9-0', 100)).toBeNull();
    expect(parseRange('bytes=0-1,4-5', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});
