import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LoupeError } from '@loupe/shared';
import { allowedUrl } from './url-allow';

/**
 * How a tool is given a picture: a file on the machine the MCP server runs on, an http(s) URL
 * whose origin is on the allow-list, or the bytes as base64. One key each, so a model says
 * which it means rather than the server guessing whether a string is a path or base64.
 *
 * @example { path: 'photos/cat.jpg' }
 * @example { url: 'https://images.example.com/cat.jpg' }
 * @example { base64: 'iVBORw0KGgo…' }
 */
export const ImageSourceSchema = z
  .union([
    z.strictObject({
      path: z.string().min(1).describe('A file on the machine the MCP server runs on.'),
    }),
    z.strictObject({
      url: z
        .string()
        .min(1)
        .describe('An http(s) URL whose origin is on the allow-list (LOUPE_MCP_URL_ALLOW).'),
    }),
    z.strictObject({
      base64: z
        .string()
        .min(1)
        .describe(
          'The encoded file (PNG, JPEG, WebP, AVIF, GIF) as base64; a data: prefix is allowed.',
        ),
    }),
  ])
  .describe('One of {path}, {url} or {base64}.');
export type ImageSource = z.infer<typeof ImageSourceSchema>;

export interface ImageSourcePolicy {
  /** Origins URLs may come from (see `parseAllowList`). */
  allowUrls: readonly string[];
  /** Whether `{path}` is read: yes over stdio, no over HTTP (the caller is not on this machine). */
  allowFiles: boolean;
  /** Larger inputs are refused before they are read whole. */
  maxBytes: number;
}

const MAX_REDIRECTS = 5;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The bytes of an image source. Refusals are `LoupeError`s whose one field is `at` (the tool
 * argument, e.g. `images.1.url`), so the model sees which argument to fix.
 */
export async function readImageSource(
  source: ImageSource,
  at: string,
  policy: ImageSourcePolicy,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if ('path' in source) return readPath(source.path, `${at}.path`, policy);
  if ('url' in source) return fetchUrl(source.url, `${at}.url`, policy, signal);
  return decodeBase64(source.base64, `${at}.base64`, policy.maxBytes);
}

function refuse(
  path: string,
  message: string,
  code: 'INVALID_REQUEST' | 'PAYLOAD_TOO_LARGE' = 'INVALID_REQUEST',
): LoupeError {
  return new LoupeError(code, `${path}: ${message}`, [{ path, message }]);
}

const tooLarge = (path: string, bytes: number, max: number) =>
  refuse(path, `is ${bytes} bytes; the limit is ${max}`, 'PAYLOAD_TOO_LARGE');

async function readPath(file: string, at: string, policy: ImageSourcePolicy): Promise<Uint8Array> {
  if (!policy.allowFiles)
    throw refuse(at, 'file paths are not read over HTTP: send {base64} or an allowed {url}');
  const full = resolve(file);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw refuse(at, `${full} is not a file`);
    size = info.size;
  } catch (e) {
    if (e instanceof LoupeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(at, code === 'ENOENT' ? `no file at ${full}` : `cannot read ${full} (${code})`);
  }
  if (size > policy.maxBytes) throw tooLarge(at, size, policy.maxBytes);
  return new Uint8Array(await readFile(full));
}

async function fetchUrl(
  raw: string,
  at: string,
  policy: ImageSourcePolicy,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let url = allowedUrl(raw, policy.allowUrls, at);
  // Redirects are followed by hand so that every hop is checked against the allow-list.
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', signal: signal ?? null });
    } catch (e) {
      if (signal?.aborted) throw new LoupeError('CANCELLED');
      throw refuse(at, `cannot fetch ${url.href} (${(e as Error).message})`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = allowedUrl(new URL(location, url).href, policy.allowUrls, at);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw refuse(at, `${url.href} answered HTTP ${res.status}`);
    }
    return readLimited(res, at, policy.maxBytes);
  }
  throw refuse(at, `more than ${MAX_REDIRECTS} redirects`);
}

async function readLimited(res: Response, at: string, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw tooLarge(at, declared, max);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += chunk.byteLength;
    if (total > max) throw tooLarge(at, total, max);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function decodeBase64(text: string, at: string, max: number): Uint8Array {
  const body = text.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!body || !BASE64.test(body)) throw refuse(at, 'is not base64');
  // 3 bytes per 4 characters: refuse before allocating the decoded copy.
  const bytes = Math.floor((body.length * 3) / 4);
  if (bytes > max) throw tooLarge(at, bytes, max);
  return new Uint8Array(Buffer.from(body, 'base64'));
}
