import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorBodySchema,
  ModelsResponseSchema,
  RescanResponseSchema,
  type DiffusionFolder,
} from '@loupe/shared';
// Tiny random-weight pipelines from the model tools' generator, written once per generator version.
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import { startServer, type TestServer } from './support/server';

const TOKEN = 'diffusion-token';
const auth = { authorization: `Bearer ${TOKEN}` };

const summary = (m: DiffusionFolder) =>
  m.status === 'ready'
    ? { id: m.id, kind: m.kind, capabilities: m.capabilities, randomWeights: m.randomWeights }
    : { id: m.id, problem: m.problem };

/**
 * Issue #13: LOUPE_DIFFUSION_DIR's subfolders are read at start and listed by GET /api/models
 * beside the built-in models; POST /api/models/rescan reads them again. Real HTTP, real files.
 */
describe('diffusion folders in /api/models', () => {
  const fixtures = tinyPipelineFixtures();
  let root: string;
  let dir: string;
  let server: TestServer;

  const listing = async () => {
    const res = await fetch(`${server.base}/api/models`, { headers: auth });
    expect(res.status).toBe(200);
    return ModelsResponseSchema.parse(await res.json());
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'loupe-diffusion-dir-'));
    dir = join(root, 'diffusion');
    mkdirSync(dir);
    cpSync(fixtures.path('optimum-fp32'), join(dir, 'sd-tiny'), { recursive: true });
    cpSync(fixtures.path('diffusers-script-fp16'), join(dir, 'script-fp16-tiny'), {
      recursive: true,
    });
    cpSync(fixtures.path('optimum-lcm'), join(dir, 'lcm-tiny'), { recursive: true });
    cpSync(fixtures.path('optimum-fp32'), join(dir, 'broken'), { recursive: true });
    writeFileSync(join(dir, 'broken', 'unet', 'model.onnx'), 'not an onnx graph');
    server = await startServer({ LOUPE_API_TOKEN: TOKEN, LOUPE_DIFFUSION_DIR: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists what each folder read at start can do, beside the built-in models, broken ones with the reason', async () => {
    const body = await listing();
    expect(body.models.length).toBeGreaterThan(0);
    expect(body.diffusion.configured).toBe(true);
    expect(body.diffusion.problem).toBeUndefined();
    expect(body.diffusion.models.map(summary)).toEqual([
      {
        id: 'broken',
        problem: expect.stringMatching(/^unet\/model\.onnx is not a readable ONNX model/),
      },
      {
        id: 'lcm-tiny',
        kind: 'stable-diffusion',
        capabilities: ['text-to-image', 'img2img', 'masked-img2img', 'lcm'],
        randomWeights: true,
      },
      {
        id: 'script-fp16-tiny',
        kind: 'stable-diffusion',
        capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
        randomWeights: true,
      },
      {
        id: 'sd-tiny',
        kind: 'stable-diffusion',
        capabilities: ['text-to-image', 'img2img', 'masked-img2img'],
        randomWeights: true,
      },
    ]);
    const script = body.diffusion.models.find((m) => m.id === 'script-fp16-tiny');
    expect(script).toMatchObject({
      exporter: 'diffusers-script',
      dtype: 'float16',
      textEncoder: { inputIdsDtype: 'int32', hiddenSize: 1024 },
      unet: { timestep: { dtype: 'float16', shape: 'batch' } },
      vaeEncoder: { output: 'latent-sample' },
      license: { id: null, name: 'unknown — check before use', file: null },
      parts: { unet: { externalData: ['unet/weights.pb'] } },
    });
  });

  it('POST /api/models/rescan needs the token, then reads a folder added since', async () => {
    const before = await listing();
    cpSync(fixtures.path('optimum-inpaint'), join(dir, 'inpaint-tiny'), { recursive: true });
    expect((await listing()).diffusion.models.map((m) => m.id)).not.toContain('inpaint-tiny');

    const refused = await fetch(`${server.base}/api/models/rescan`, { method: 'POST' });
    expect(refused.status).toBe(401);
    expect(ErrorBodySchema.parse(await refused.json()).error.code).toBe('UNAUTHORIZED');

    const res = await fetch(`${server.base}/api/models/rescan`, { method: 'POST', headers: auth });
    expect(res.status).toBe(200);
    const { diffusion } = RescanResponseSchema.parse(await res.json());
    expect(diffusion.models.map((m) => m.id)).toEqual([
      'broken',
      'inpaint-tiny',
      'lcm-tiny',
      'script-fp16-tiny',
      'sd-tiny',
    ]);
    expect(summary(diffusion.models[1]!)).toEqual({
      id: 'inpaint-tiny',
      kind: 'inpainting',
      capabilities: ['inpaint'],
      randomWeights: true,
    });
    expect(Date.parse(diffusion.scannedAt!)).toBeGreaterThan(
      Date.parse(before.diffusion.scannedAt!),
    );
    // The unchanged folders are the same bytes: the same digests.
    const digest = (list: DiffusionFolder[], id: string) =>
      list.find((m) => m.id === id && m.status === 'ready') as { sha256: string } | undefined;
    expect(digest(diffusion.models, 'sd-tiny')!.sha256).toBe(
      digest(before.diffusion.models, 'sd-tiny')!.sha256,
    );
    expect((await listing()).diffusion).toEqual(diffusion);
  });

  it('documents the listing and the rescan in /docs', async () => {
    const doc = (await (await fetch(`${server.base}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    expect(doc.paths['/api/models/rescan']?.post?.summary).toBe('Read LOUPE_DIFFUSION_DIR again');
    expect(JSON.stringify(doc.paths['/api/models'])).toContain('"capabilities"');
  });
});

describe('a LOUPE_DIFFUSION_DIR that does not exist', () => {
  let root: string;
  let server: TestServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'loupe-diffusion-missing-'));
    server = await startServer({ LOUPE_DIFFUSION_DIR: join(root, 'not-yet') });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('still starts, says why nothing is listed, and lists the folder once it exists', async () => {
    const body = ModelsResponseSchema.parse(
      await (await fetch(`${server.base}/api/models`)).json(),
    );
    expect(body.models.length).toBeGreaterThan(0);
    expect(body.diffusion).toMatchObject({
      configured: true,
      models: [],
      problem: `LOUPE_DIFFUSION_DIR ${join(root, 'not-yet')} does not exist`,
    });
    cpSync(tinyPipelineFixtures().path('optimum-instruct'), join(root, 'not-yet', 'ip2p'), {
      recursive: true,
    });
    const res = await fetch(`${server.base}/api/models/rescan`, { method: 'POST' });
    const { diffusion } = RescanResponseSchema.parse(await res.json());
    expect(diffusion.problem).toBeUndefined();
    expect(diffusion.models.map(summary)).toEqual([
      { id: 'ip2p', kind: 'instruct-pix2pix', capabilities: ['instruct'], randomWeights: true },
    ]);
  });
});
