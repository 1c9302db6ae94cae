import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, type ErrorCode } from '@loupe/shared';
import { png, post, startServer, type TestServer } from './support/server';
import { decodedUploads, jobsSubmitted } from './support/observe';

/**
 * Issue #10, items 2, 8, 9 and 11: what a careless or hostile client sends gets a 4xx in the
 * one error shape that names the problem, and nothing is decoded or queued for it.
 */
describe('hostile and malformed requests', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  async function expectRefused(res: Response, status: number, code: ErrorCode) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = ErrorBodySchema.parse(await res.json());
    expect(body.error.code).toBe(code);
    return body.error;
  }

  /** Sends the body as is, with the content type given (fetch would build a valid form). */
  const raw = (path: string, contentType: string, body: string | Uint8Array) =>
    fetch(`${server.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  it('item 2: malformed multipart is 400 INVALID_REQUEST saying what is wrong, never 500', async () => {
    const before = {
      jobs: await jobsSubmitted(server.app),
      decoded: await decodedUploads(server.app),
    };
    const longBoundary = 'b'.repeat(300);
    const cases: [string, string, string][] = [
      [
        'a boundary of 300 characters',
        `multipart/form-data; boundary=${longBoundary}`,
        `--${longBoundary}\r\ncontent-disposition: form-data; name="op"\r\n\r\ninvert\r\n--${longBoundary}--\r\n`,
      ],
      ['no boundary at all', 'multipart/form-data', 'whatever'],
      [
        'an unterminated body',
        'multipart/form-data; boundary=xyz',
        '--xyz\r\ncontent-disposition: form-data; name="image"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n\x89PNG',
      ],
      ['a garbage body', 'multipart/form-data; boundary=xyz', '\u0000\u0001garbage\r\n\r\n--'],
    ];
    for (const path of ['/api/edit', '/api/jobs']) {
      for (const [what, type, body] of cases) {
        const error = await expectRefused(await raw(path, type, body), 400, 'INVALID_REQUEST');
        expect(error.message, `${path}: ${what}`).toMatch(/multipart|image is required/i);
      }
    }
    expect(await jobsSubmitted(server.app)).toBe(before.jobs);
    expect(await decodedUploads(server.app)).toBe(before.decoded);
  });

  it('item 11: a form field over its limit is 413 naming the field and the limit', async () => {
    const form = new FormData();
    form.set('image', new Blob([await png(8, 8)]), 'a.png');
    form.set('op', 'blur');
    form.set('params', JSON.stringify({ radius: 2, pad: 'x'.repeat(10 * 1024 * 1024) }));
    const error = await expectRefused(
      await fetch(`${server.base}/api/edit`, { method: 'POST', body: form }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(error.message).toContain('params');
    expect(error.message).toContain('256 KiB');
    expect(error.fields).toEqual([{ path: 'params', message: `over ${256 * 1024} bytes` }]);
  });

  it('item 8: __proto__, constructor and unknown keys are refused by name at every level', async () => {
    const image = await png(8, 8);
    const before = await decodedUploads(server.app);
    const multipart: [Parameters<typeof post>[2], string][] = [
      [
        { image, op: 'blur', params: JSON.parse('{"__proto__":{"radius":40}}') },
        'params.__proto__',
      ],
      [
        { image, steps: JSON.parse('[{"op":"blur","params":{"constructor":{"radius":40}}}]') },
        'steps.0.params.constructor',
      ],
      [{ image, steps: JSON.parse('[{"op":"blur","__proto__":{}}]') }, 'steps.0.__proto__'],
      [{ image, op: 'blur', params: { radius: 2, bogus: 1 } }, 'params.bogus'],
      [{ image, steps: [{ op: 'blur', params: {}, extra: true }] }, 'steps.0.extra'],
    ];
    for (const [fields, path] of multipart) {
      const error = await expectRefused(
        await post(server.base, '/api/edit', fields),
        400,
        'INVALID_PARAMS',
      );
      expect(error.fields?.map((f) => f.path)).toContain(path);
    }

    const form = new FormData();
    form.set('image', new Blob([image]), 'a.png');
    form.set('op', 'invert');
    form.set('surprise', '1');
    const unknownField = await expectRefused(
      await fetch(`${server.base}/api/edit`, { method: 'POST', body: form }),
      400,
      'INVALID_PARAMS',
    );
    expect(unknownField.fields).toEqual([{ path: 'surprise', message: 'unknown field' }]);

    const b64 = Buffer.from(image).toString('base64');
    for (const [body, path] of [
      [
        `{"image_base64":"${b64}","op":"blur","params":{"__proto__":{"radius":40}}}`,
        'params.__proto__',
      ],
      [`{"image_base64":"${b64}","op":"blur","__proto__":{"op":"upscale"}}`, '__proto__'],
      [
        `{"image_base64":"${b64}","steps":[{"op":"blur","params":{"prototype":1}}]}`,
        'steps.0.params.prototype',
      ],
    ] as const) {
      const error = await expectRefused(
        await raw('/api/edit', 'application/json', body),
        400,
        'INVALID_PARAMS',
      );
      expect(error.fields?.map((f) => f.path)).toContain(path);
    }
    const unknownJson = await expectRefused(
      await raw('/api/jobs', 'application/json', `{"image_base64":"${b64}","op":"invert","x":1}`),
      400,
      'INVALID_REQUEST',
    );
    expect(unknownJson.fields?.map((f) => f.path)).toEqual(['body.x']);
    expect(await decodedUploads(server.app)).toBe(before);

    // The same radius without the prototype trick is honoured: the refusal is about the key.
    const ok = await post(server.base, '/api/edit', { image, op: 'blur', params: { radius: 40 } });
    expect(ok.status).toBe(200);
    const metadata = JSON.parse(ok.headers.get('x-loupe-metadata')!) as {
      steps: { params: { radius: number } }[];
    };
    expect(metadata.steps[0]!.params.radius).toBe(40);
  });

  it('item 9: router refusals (long path parameter, malformed escape) have the one error shape', async () => {
    const long = await expectRefused(
      await fetch(`${server.base}/api/jobs/${'a'.repeat(150)}`),
      400,
      'INVALID_REQUEST',
    );
    expect(long.message).toMatch(/longer than 100/);
    // Within the router's limit but over the route's own (JobIdParams): named by its path.
    const overSchema = await expectRefused(
      await fetch(`${server.base}/api/jobs/${'a'.repeat(80)}`),
      400,
      'INVALID_REQUEST',
    );
    expect(overSchema.fields?.map((f) => f.path)).toEqual(['params.id']);
    await expectRefused(await fetch(`${server.base}/api/jobs/%E0%A4%A`), 400, 'INVALID_REQUEST');
    await expectRefused(await fetch(`${server.base}/api/nothing-here`), 404, 'NOT_FOUND');
    await expectRefused(
      await fetch(`${server.base}/api/edit`, { method: 'PUT' }),
      404,
      'NOT_FOUND',
    );
    await expectRefused(
      await raw('/api/edit', 'application/json', '{"op": '),
      400,
      'INVALID_REQUEST',
    );
    await expectRefused(
      await raw('/api/edit', 'text/plain', 'hello'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});
