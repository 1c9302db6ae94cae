import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { JobEventSchema, type JobEvent } from '@loupe/shared';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';

export interface TestServer {
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

/**
 * The real app on a real port of 127.0.0.1 with real inference children, waiting until every
 * worker has finished its handshake. CPU EP so results do not depend on the test machine's GPU.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ LOUPE_EP: 'cpu', LOUPE_IDLE_OFFLOAD_S: '0', ...env });
  const app = await buildApp({ config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await waitFor(() => app.supervisor.allUp, 60_000, 'workers to start');
  return { app, base: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A deterministic RGBA test pattern with varying alpha, as raw bytes. */
export function pattern(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = ((x ^ y) * 13) % 256;
      data[i + 3] = 128 + ((x + y) % 128);
    }
  }
  return data;
}

export function png(width: number, height: number, data = pattern(width, height)): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

export async function decodeRgba(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await sharp(bytes)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

export interface EditForm {
  image: Uint8Array;
  op?: string;
  params?: unknown;
  steps?: unknown;
  format?: string;
  quality?: string;
  compression?: string;
  response?: string;
  callbackUrl?: string;
  /** A mask picture, for ops that take one (erase, inpaint). */
  mask?: Uint8Array;
}

export function form(fields: EditForm): FormData {
  const f = new FormData();
  f.set('image', new Blob([fields.image]), 'upload.bin');
  if (fields.mask) f.set('mask', new Blob([fields.mask]), 'mask.png');
  if (fields.op) f.set('op', fields.op);
  if (fields.params !== undefined) f.set('params', JSON.stringify(fields.params));
  if (fields.steps !== undefined) f.set('steps', JSON.stringify(fields.steps));
  for (const k of ['format', 'quality', 'compression', 'response', 'callbackUrl'] as const)
    if (fields[k]) f.set(k, fields[k]!);
  return f;
}

export function post(
  base: string,
  path: string,
  fields: EditForm,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', body: form(fields), headers });
}

/** One SSE frame; `data` is validated against the shared JobEvent union. */
export type SseEvent = { event: string; id: string; data: JobEvent };

/** Reads a whole SSE stream (until the server ends it) into parsed events. */
export async function readEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseEvent[]> {
  return (await openEvents(url, headers))();
}

/** Connects (headers received) and returns a function that reads the rest of the stream. */
export async function openEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<() => Promise<SseEvent[]>> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`SSE ${url} answered ${res.status}`);
  return async () => parseEvents(await res.text());
}

function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.includes('data: '))
    .map((frame) => {
      const field = (name: string) =>
        frame
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return {
        event: field('event'),
        id: field('id'),
        data: JobEventSchema.parse(JSON.parse(field('data'))),
      };
    });
}
