import { createServer, request as httpRequest, type Server } from 'node:http';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  ErrorBodySchema,
  GpuActionResponseSchema,
  GpuStatusSchema,
  JobSchema,
  OpsResponseSchema,
  TERMINAL_EVENT_TYPES,
  type JobEvent,
} from '@loupe/shared';
import { createLoupeClient, type LoupeClient } from '@loupe/client';
import { z } from 'zod';
// Tiny random-weight pipelines from the model tools' generator: they make noise, fast.
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import { connectMcp, MCP_TRANSPORTS, type McpConnection } from './support/mcp-clients';
import { decodeRgba, png, startServer, type TestServer } from './support/server';

const TOKEN = 'mcp-test-token';
const TOOLS = [
  'batch_edit_images',
  'cancel_job',
  'edit_image',
  'generate_image',
  'get_gpu_status',
  'get_job',
  'list_models',
  'list_operations',
  'offload_gpu',
  'release_gpu',
];

const ResultLink = z.object({
  uri: z.string(),
  url: z.string().optional(),
  mimeType: z.string(),
});
const JobResult = z.object({ job: JobSchema, result: ResultLink.optional() });
const Batch = z.object({
  done: z.number(),
  failed: z.number(),
  items: z.array(
    z.object({
      index: z.number(),
      job: JobSchema.optional(),
      result: ResultLink.optional(),
      error: z.object({ code: z.string() }).optional(),
    }),
  ),
});

function structured<S extends z.ZodType>(schema: S, result: CallToolResult): z.output<S> {
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return schema.parse(result.structuredContent);
}

const errorText = (result: CallToolResult) => {
  expect(result.isError).toBe(true);
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
};

/**
 * Issue #15, the MCP part: the SDK's own client over stdio (`loupe mcp`, the CLI spawned) and
 * over streamable HTTP (`/mcp` of the same server) lists and calls every tool against one real
 * server with real models and the tiny diffusion pipelines; progress arrives during a long job,
 * a client cancel cancels the job on the server, and refusals name the argument at fault.
 */
describe('MCP', () => {
  // Two of the tiny pipelines, so that no test waits on the float16 ones (slow on the CPU EP):
  // one that does text to image, and an inpainting one named to sort before it.
  const fixtures = tinyPipelineFixtures();
  const diffusionDir = mkdtempSync(join(tmpdir(), 'loupe-mcp-diffusion-'));
  cpSync(fixtures.path('optimum-fp32'), join(diffusionDir, 'optimum-fp32'), { recursive: true });
  cpSync(fixtures.path('optimum-inpaint'), join(diffusionDir, 'a-inpaint'), { recursive: true });
  let server: TestServer;
  let loupe: LoupeClient;
  let images: Server;
  let imagesOrigin: string;
  let picture: Buffer;
  let picturePath: string;

  beforeAll(async () => {
    picture = await png(24, 16);
    picturePath = join(mkdtempSync(join(tmpdir(), 'loupe-mcp-')), 'picture.png');
    writeFileSync(picturePath, picture);
    // An image host on the allow-list: /picture.png, and /elsewhere redirecting off the list.
    images = createServer((req, res) => {
      if (req.url === '/picture.png')
        res.writeHead(200, { 'content-type': 'image/png' }).end(picture);
      else if (req.url === '/elsewhere')
        res.writeHead(302, { location: 'http://localhost:1/x.png' }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
    imagesOrigin = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
    server = await startServer({
      LOUPE_API_TOKEN: TOKEN,
      LOUPE_DIFFUSION_DIR: diffusionDir,
      LOUPE_WORKERS: '1',
      // A cancelled run stops between steps on its own; the kill after the grace never comes.
      LOUPE_CANCEL_GRACE_S: '120',
      LOUPE_MCP_URL_ALLOW: imagesOrigin,
    });
    loupe = createLoupeClient({ baseUrl: server.base, token: TOKEN });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => images?.close(r));
  });

  /** The job's events from now to its end, through the typed client (not through MCP). */
  const terminal = async (id: string): Promise<JobEvent> => {
    let last: JobEvent | undefined;
    for await (const event of loupe.jobEvents(id)) last = event;
    expect(TERMINAL_EVENT_TYPES).toContain(last?.type);
    return last!;
  };

  describe.each(MCP_TRANSPORTS)('over %s', (transport) => {
    let mcp: McpConnection;
    beforeAll(async () => {
      mcp = await connectMcp(transport, server.base, { token: TOKEN, urlAllow: imagesOrigin });
    });
    afterAll(() => mcp?.client.close());
    const call = (name: string, args: Record<string, unknown> = {}) =>
      mcp.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
    // Over HTTP the caller is not on the server's machine: files go as base64 there.
    const source = () =>
      transport === 'stdio' ? { path: picturePath } : { base64: picture.toString('base64') };
    const readResult = async (uri: string) => {
      const { contents } = await mcp.client.readResource({ uri });
      const blob = contents[0] && 'blob' in contents[0] ? contents[0].blob : '';
      return new Uint8Array(Buffer.from(blob, 'base64'));
    };

    it('lists every tool, each with input and output schemas', async () => {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
      for (const tool of tools) {
        expect(tool.inputSchema.type, tool.name).toBe('object');
        expect(tool.outputSchema?.type, tool.name).toBe('object');
      }
      // The edit schema is the shared one: every op id, and the step schema for pipelines.
      const edit = tools.find((t) => t.name === 'edit_image')!.inputSchema.properties as Record<
        string,
        { enum?: string[]; type?: string }
      >;
      expect(edit.op?.enum).toEqual((await loupe.ops()).ops.map((o) => o.id));
      expect(edit.steps?.type).toBe('array');
    });

    it('edit_image upscales a PNG: a resource link with the same bytes as /api/edit, and a preview only when asked', async () => {
      const args = { image: source(), op: 'upscale', params: { model: 'slim', scale: 2 } };
      const plain = await call('edit_image', args);
      const { job, result } = structured(JobResult, plain);
      expect(job.state).toBe('succeeded');
      expect(job.metadata?.output).toMatchObject({ width: 48, height: 32, format: 'png' });
      expect(result?.uri).toBe(`loupe://jobs/${job.id}/result`);
      expect(result?.url).toBe(`${server.base}/api/jobs/${job.id}/result`);
      expect(plain.content.map((c) => c.type)).toEqual(['text', 'resource_link']);
      const bytes = await readResult(result!.uri);
      const direct = await loupe.edit(picture, {
        op: 'upscale',
        params: { model: 'slim', scale: 2 },
      });
      expect(bytes).toEqual(new Uint8Array(await direct.image.arrayBuffer()));
      expect(await decodeRgba(bytes)).toMatchObject({ width: 48, height: 32 });

      // A 320×160 result comes with a 256×128 preview, and only the preview is inline.
      const withPreview = await call('edit_image', {
        image: { base64: (await png(80, 40)).toString('base64') },
        op: 'upscale',
        params: { model: 'slim', scale: 4 },
        preview: true,
      });
      expect(withPreview.content.map((c) => c.type)).toEqual(['text', 'resource_link', 'image']);
      const image = withPreview.content.find((c) => c.type === 'image');
      expect(image).toMatchObject({ mimeType: 'image/jpeg' });
      const small = await decodeRgba(
        Buffer.from(image!.type === 'image' ? image!.data : '', 'base64'),
      );
      expect([small.width, small.height]).toEqual([256, 128]);
    });

    it('edit_image takes an allowed URL and refuses others, a bad path and bad params, naming the argument', async () => {
      const fromUrl = await call('edit_image', {
        image: { url: `${imagesOrigin}/picture.png` },
        op: 'invert',
      });
      const { job } = structured(JobResult, fromUrl);
      expect(job.metadata?.output).toMatchObject({ width: 24, height: 16 });

      const refused = errorText(
        await call('edit_image', { image: { url: 'http://localhost:1/x.png' }, op: 'invert' }),
      );
      expect(refused).toMatch(/image\.url: .*http:\/\/localhost:1 is not on the allow-list/);
      const redirected = errorText(
        await call('edit_image', { image: { url: `${imagesOrigin}/elsewhere` }, op: 'invert' }),
      );
      expect(redirected).toMatch(/image\.url: .*localhost:1 is not on the allow-list/);

      const missing = errorText(
        await call('edit_image', {
          image: { path: join(tmpdir(), 'no-such-picture.png') },
          op: 'invert',
        }),
      );
      expect(missing).toMatch(
        transport === 'stdio'
          ? /image\.path: no file at .*no-such-picture\.png/
          : /image\.path: file paths are not read over HTTP/,
      );

      const badParam = errorText(
        await call('edit_image', { image: source(), op: 'upscale', params: { scale: 5 } }),
      );
      expect(badParam).toMatch(/^INVALID_PARAMS/);
      expect(badParam).toMatch(/params\.scale/);
      const badFormat = errorText(
        await call('edit_image', { image: source(), op: 'invert', format: 'bmp' }),
      );
      expect(badFormat).toMatch(/format/);
      const neither = errorText(await call('edit_image', { image: source() }));
      expect(neither).toMatch(/op: required unless steps is given/);
    });

    it('batch_edit_images edits two: each its own job and result; a broken one fails alone', async () => {
      const steps = [
        { op: 'invert' as const },
        { op: 'flip' as const, params: { axis: 'horizontal' } },
      ];
      const two = await call('batch_edit_images', {
        images: [source(), { base64: picture.toString('base64') }],
        steps,
      });
      const batch = structured(Batch, two);
      expect([batch.done, batch.failed]).toEqual([2, 0]);
      expect(two.content.filter((c) => c.type === 'resource_link')).toHaveLength(2);
      const direct = new Uint8Array(
        await (await loupe.edit(picture, { steps })).image.arrayBuffer(),
      );
      expect(direct).not.toEqual(new Uint8Array(picture));
      for (const item of batch.items) {
        expect(item.job?.metadata?.steps.map((s) => s.op)).toEqual(['invert', 'flip']);
        expect(await readResult(item.result!.uri)).toEqual(direct);
      }

      const mixed = structured(
        Batch,
        await call('batch_edit_images', {
          images: [{ base64: Buffer.from('not a picture').toString('base64') }, source()],
          op: 'invert',
        }),
      );
      expect([mixed.done, mixed.failed]).toEqual([1, 1]);
      expect(mixed.items[0]).toMatchObject({ index: 0, error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
      expect(mixed.items[1]?.job?.state).toBe('succeeded');
    });

    it('list_operations and list_models answer what the API answers', async () => {
      const ops = structured(OpsResponseSchema, await call('list_operations'));
      expect(ops).toEqual(await loupe.ops());
      const models = structured(
        z.object({ models: z.array(z.object({ id: z.string() })), diffusion: z.unknown() }),
        await call('list_models'),
      );
      const api = await loupe.models();
      expect(models.models.map((m) => m.id)).toEqual(api.models.map((m) => m.id));
      expect(models.diffusion).toEqual(api.diffusion);
    });

    it('get_gpu_status, offload_gpu and release_gpu move a model between device, RAM and unloaded', async () => {
      await call('edit_image', {
        image: source(),
        op: 'upscale',
        params: { model: 'slim', scale: 2 },
      });
      const model = 'esrgan-slim-x2';
      // Children report residency after they act: read get_gpu_status until it says `want`.
      const residency = async (want: string) => {
        for (let i = 0; i < 200; i++) {
          const status = structured(GpuStatusSchema, await call('get_gpu_status'));
          const now = status.models.find((m) => m.id === model)?.residency;
          if (now === want) return now;
          await new Promise((r) => setTimeout(r, 25));
        }
        return 'never';
      };
      expect(await residency('device')).toBe('device');
      const offloaded = structured(
        GpuActionResponseSchema,
        await call('offload_gpu', { models: [model] }),
      );
      expect(offloaded).toEqual({ action: 'offload', affected: [model], skippedInUse: [] });
      expect(await residency('ram')).toBe('ram');
      const released = structured(
        GpuActionResponseSchema,
        await call('release_gpu', { models: [model] }),
      );
      expect(released).toMatchObject({ action: 'release', affected: [model] });
      expect(await residency('unloaded')).toBe('unloaded');
    });

    it('generate_image on a tiny pipeline, then get_job reads the same job', async () => {
      const generated = structured(
        JobResult,
        await call('generate_image', {
          prompt: 'a red fox',
          steps: 3,
          seed: 7,
          model: 'optimum-fp32',
        }),
      );
      expect(generated.job.metadata?.generation).toMatchObject({
        model: 'optimum-fp32',
        seeds: [7],
      });
      expect(await decodeRgba(await readResult(generated.result!.uri))).toMatchObject({
        width: 64,
        height: 64,
      });
      const again = structured(JobResult, await call('get_job', { id: generated.job.id }));
      expect(again.job).toEqual(await loupe.job(generated.job.id));
      expect(again.result?.uri).toBe(generated.result?.uri);
      // model omitted: the first usable folder that does text to image (an inpainting one sorts first).
      const any = structured(
        JobResult,
        await call('generate_image', { prompt: 'a fox', steps: 1 }),
      );
      expect(any.job.metadata?.generation?.model).toBe('optimum-fp32');
      const unknown = errorText(await call('get_job', { id: 'no-such-job' }));
      expect(unknown).toMatch(/^NOT_FOUND/);
    });

    it('progress notifications arrive during a 30-step generation', async () => {
      const seen: { progress: number; total?: number; message?: string }[] = [];
      const result = (await mcp.client.callTool(
        {
          name: 'generate_image',
          arguments: { prompt: 'slowly', steps: 30, seed: 1, model: 'optimum-fp32' },
        },
        undefined,
        { onprogress: (p) => seen.push(p) },
      )) as CallToolResult;
      const { job } = structured(JobResult, result);
      const steps = seen.filter((p) => p.total === 30);
      expect(steps.length).toBeGreaterThanOrEqual(5);
      expect(steps.map((p) => p.progress)).toEqual(
        [...steps.map((p) => p.progress)].sort((a, b) => a - b),
      );
      expect(steps.at(-1)?.progress).toBe(30);
      // Every message names the job, so a client can follow or cancel it by id.
      expect(seen.every((p) => p.message?.startsWith(`job ${job.id}: `))).toBe(true);
    });

    it('a client cancel ends the job as cancelled on the server; cancel_job cancels by id', async () => {
      const abort = new AbortController();
      let jobId: string | undefined;
      const call150 = mcp.client.callTool(
        {
          name: 'generate_image',
          arguments: { prompt: 'long', steps: 150, seed: 2, model: 'optimum-fp32' },
        },
        undefined,
        {
          signal: abort.signal,
          onprogress: (p) => {
            jobId ??= /^job (\S+):/.exec(p.message ?? '')?.[1];
            if (p.progress >= 1) abort.abort('enough');
          },
        },
      );
      await expect(call150).rejects.toThrow();
      expect(jobId).toBeDefined();
      expect((await terminal(jobId!)).type).toBe('cancelled');
      const job = await loupe.job(jobId!);
      expect(job.state).toBe('cancelled');
      expect(job.progress!.done).toBeLessThan(150);

      const queued = await loupe.createJob(null, {
        op: 'generate',
        params: { model: 'optimum-fp32', prompt: 'to cancel', steps: 150, seed: 3 },
      });
      const cancelled = structured(
        z.object({ job: JobSchema }),
        await call('cancel_job', { id: queued.id }),
      );
      expect(cancelled.job).toMatchObject({ id: queued.id, state: 'cancelled' });
      expect((await terminal(queued.id)).type).toBe('cancelled');
    });
  });

  it('/mcp needs the token, and refuses a Host it does not know', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '0' },
      },
    };
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const res = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify(initialize),
    });
    expect(res.status).toBe(401);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('UNAUTHORIZED');

    // A DNS-rebinding page reaches this port under its own name: the Host header says so.
    const port = new URL(server.base).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: {
            ...headers,
            host: `rebound.example:${port}`,
            authorization: `Bearer ${TOKEN}`,
          },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    expect(status).toBe(403);
  });
});
