import { copyFile, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, ManifestSchema, ModelsResponseSchema, ReadySchema } from '@loupe/shared';
import { loadConfig } from '../src/config';
import { decodedUploads, jobsSubmitted, until } from './support/observe';
import { png, post, startServer, type TestServer } from './support/server';

const MODEL = 'esrgan-slim-x2';

/**
 * Issue #10 item 7: a model file of the right size but the wrong bytes makes /ready say which
 * model is unusable, the ops that need it answer MODEL_UNAVAILABLE before any work, the rest
 * keep working, and rebuilding the file makes it usable again without a restart.
 */
describe('a corrupted model file of the right size', () => {
  const builtDir = loadConfig({}).LOUPE_MODELS_DIR;
  let dir: string;
  let file: string;
  let server: TestServer;

  beforeAll(async () => {
    // Every built file linked in, except the one we corrupt, which is a copy.
    dir = await mkdtemp(join(tmpdir(), 'loupe-models-'));
    const manifest = ManifestSchema.parse(
      JSON.parse(await readFile(join(builtDir, 'manifest.json'), 'utf8')),
    );
    file = manifest.models.find((m) => m.id === MODEL)!.file;
    for (const name of await readdir(builtDir))
      if (name !== file) await symlink(join(builtDir, name), join(dir, name));
    const bytes = await readFile(join(builtDir, file));
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    await writeFile(join(dir, file), bytes);
    server = await startServer({ LOUPE_MODELS_DIR: dir });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upscale = async () =>
    post(server.base, '/api/edit', {
      image: await png(16, 16),
      op: 'upscale',
      params: { model: 'slim', scale: 2 },
    });

  it('/ready names it, its ops answer MODEL_UNAVAILABLE before decoding, other ops run', async () => {
    const res = await fetch(`${server.base}/ready`);
    expect(res.status).toBe(503);
    const ready = ReadySchema.parse(await res.json());
    expect(ready.checks.manifest).toBe(false);
    expect(ready.unavailableModels).toEqual([MODEL]);
    expect(ready.reason).toContain(file);
    expect(ready.reason).toContain('sha256');

    const decoded = await decodedUploads(server.app);
    const jobs = await jobsSubmitted(server.app);
    const refused = await upscale();
    expect(refused.status).toBe(503);
    const error = ErrorBodySchema.parse(await refused.json()).error;
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain(MODEL);
    expect(error.message).toContain('pnpm models');
    expect(await decodedUploads(server.app)).toBe(decoded);
    expect(await jobsSubmitted(server.app)).toBe(jobs);

    const models = ModelsResponseSchema.parse(
      await (await fetch(`${server.base}/api/models`)).json(),
    );
    expect(models.models.find((m) => m.id === MODEL)!.problem).toContain('corrupted');
    expect(models.models.filter((m) => m.problem)).toHaveLength(1);

    const other = await post(server.base, '/api/edit', { image: await png(16, 16), op: 'invert' });
    expect(other.status).toBe(200);
  });

  it('becomes usable again once the file is rebuilt, without a restart', async () => {
    await rm(join(dir, file));
    await copyFile(join(builtDir, file), join(dir, file));
    await until(
      async () => (await fetch(`${server.base}/ready`)).status === 200,
      30_000,
      '/ready after the fix',
    );
    expect(ReadySchema.parse(await (await fetch(`${server.base}/ready`)).json()).ready).toBe(true);
    expect((await upscale()).status).toBe(200);
  });

  it('reads the manifest again when it is rewritten (it is cached by file state between uploads)', async () => {
    const path = join(dir, 'manifest.json');
    const built = await readFile(join(builtDir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(built) as { models: { id: string }[] };
    manifest.models = manifest.models.filter((m) => m.id !== MODEL);
    await rm(path);
    await writeFile(path, JSON.stringify(manifest));
    // A model the manifest does not list is this install's choice: a 400 naming how to add it.
    const refused = await upscale();
    expect(refused.status).toBe(400);
    expect(ErrorBodySchema.parse(await refused.json()).error.message).toContain(
      'is not installed on this server: run `pnpm models`',
    );
    await rm(path);
    await writeFile(path, built);
    expect((await upscale()).status).toBe(200);
  });
});
