import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorBodySchema,
  JobSchema,
  OPS,
  executeStep,
  maskFromRgba,
  type ModelRunner,
  type RgbaImage,
} from '@loupe/shared';
import { createInpainter } from '@loupe/runtime-node';
import { decodeRgba, post, readEvents, startServer, type TestServer } from './support/server';

// A real photo (a hibiscus, 1024²) shipped with @upscalerjs/esrgan-thick, which tools/models installs.
const PHOTO = join(
  import.meta.dirname,
  '../../../tools/models/node_modules/@upscalerjs/esrgan-thick/assets/samples/8x/result.png',
);
const [W, H] = [256, 192];
const OBJECT = { left: 100, top: 70, width: 40, height: 30 };

/** A 256×192 piece of the photo with a solid blue block painted in, and the mask PNG over it. */
async function fixture() {
  const piece = await sharp(readFileSync(PHOTO))
    .extract({ left: 520, top: 300, width: W, height: H })
    .composite([
      {
        input: { create: { ...OBJECT, channels: 4, background: '#0000ffff' } },
        left: OBJECT.left,
        top: OBJECT.top,
      },
    ])
    .ensureAlpha()
    .png()
    .toBuffer();
  const mask = await sharp({ create: { width: W, height: H, channels: 3, background: '#000' } })
    .composite([
      {
        input: { create: { ...OBJECT, channels: 3, background: '#fff' } },
        left: OBJECT.left,
        top: OBJECT.top,
      },
    ])
    .png()
    .toBuffer();
  return { piece, mask };
}

const noModels: ModelRunner = { run: () => Promise.reject(new Error('erase ran a model')) };

async function errorOf(res: Response) {
  return ErrorBodySchema.parse(await res.json()).error;
}

describe('erase over HTTP with a `mask` upload', () => {
  let server: TestServer;
  let piece: Buffer;
  let mask: Buffer;
  beforeAll(async () => {
    server = await startServer();
    ({ piece, mask } = await fixture());
  });
  afterAll(() => server.close());

  it('POST /api/edit fills the mask in the child as OpenCV does in this process, and keeps the rest', async () => {
    const params = { algorithm: 'telea', radius: 5 };
    const res = await post(server.base, '/api/edit', { image: piece, op: 'erase', params, mask });
    expect(res.status).toBe(200);
    const served = await decodeRgba(new Uint8Array(await res.arrayBuffer()));
    const input = await decodeRgba(piece);
    const m = maskFromRgba(await decodeRgba(mask));
    const { image: direct } = await executeStep(
      input as RgbaImage,
      { op: 'erase', params: OPS.erase.params.parse(params) },
      { runner: noModels, mask: m, inpainter: createInpainter() },
    );
    expect(Buffer.compare(served.data, Buffer.from(direct.data))).toBe(0);
    let changedOutside = 0;
    let changedInside = 0;
    m.data.forEach((v, p) => {
      const same = served.data.readUInt32LE(4 * p) === input.data.readUInt32LE(4 * p);
      if (!v && !same) changedOutside++;
      if (v && !same) changedInside++;
    });
    expect(changedOutside).toBe(0);
    expect(changedInside).toBe(OBJECT.width * OBJECT.height);
  });

  it('POST /api/jobs takes the mask too', async () => {
    const created = await post(server.base, '/api/jobs', { image: piece, op: 'erase', mask });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const events = await readEvents(`${server.base}/api/jobs/${id}/events`);
    expect(events.at(-1)?.event).toBe('completed');
    const job = JobSchema.parse(await (await fetch(`${server.base}/api/jobs/${id}`)).json());
    expect(job.metadata?.models).toEqual([]);
    const result = await decodeRgba(
      new Uint8Array(await (await fetch(`${server.base}/api/jobs/${id}/result`)).arrayBuffer()),
    );
    expect(result).toMatchObject({ width: W, height: H });
  });

  it('answers 400 naming `mask` when it is missing, misfits, is empty or is not wanted (415 when not a picture)', async () => {
    const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const black = await sharp({ create: { width: W, height: H, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const cases = [
      { image: piece, op: 'erase' },
      { image: piece, op: 'erase', mask: small },
      { image: piece, op: 'erase', mask: black },
      { image: piece, op: 'blur', mask },
      { image: piece, op: 'erase', mask: Buffer.from('not an image') },
    ];
    const answers = [];
    for (const fields of cases) {
      const res = await post(server.base, '/api/edit', fields);
      const error = await errorOf(res);
      answers.push([res.status, error.fields?.[0]?.path]);
    }
    expect(answers).toEqual([...cases.slice(0, -1).map(() => [400, 'mask']), [415, 'mask']]);
  });
});
