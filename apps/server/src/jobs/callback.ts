import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER, LoupeError } from '@loupe/shared';
import { isPublicAddress, type CallbackAllowList } from './address-guard';

export interface CallbackOptions {
  secret: string;
  allow: CallbackAllowList;
  retries: number;
  /** First retry delay; doubles each time. */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `${id}.${timestamp}.${body}`): binds the body to the job and the time. */
export function signCallback(secret: string, id: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex')}`;
}

/** Refuses literal private addresses when the job is created, so the client hears about it at once. */
export function checkCallbackUrl(url: string, allow: CallbackAllowList): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (allow.allowsHost(host)) return;
  if (isIP(host) && !isPublicAddress(host) && !allow.allowsAddress(host)) {
    throw new LoupeError('INVALID_REQUEST', `callbackUrl points at a private address (${host})`, [
      {
        path: 'callbackUrl',
        message: 'private, loopback, link-local and metadata addresses are refused',
      },
    ]);
  }
}

/**
 * Resolves the host and refuses private addresses at connect time, on the IP actually used:
 * checking the name first and connecting later would let DNS rebinding slip through.
 */
function guardedLookup(allow: CallbackAllowList, host: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const bad = list.find(
        (a) =>
          !isPublicAddress(a.address) && !allow.allowsAddress(a.address) && !allow.allowsHost(host),
      );
      if (bad)
        return callback(
          Object.assign(
            new Error(`callback host ${host} resolves to refused address ${bad.address}`),
            { code: 'ECALLBACKREFUSED' },
          ),
          '',
          0,
        );
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

type Attempt = { ok: true; status: number } | { ok: false; retry: boolean; reason: string };

function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: CallbackOptions,
): Promise<Attempt> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(options.allow, url.hostname.replace(/^\[|\]$/g, '')),
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true, status });
        // Redirects are not followed: a 3xx could point the signed body anywhere.
        else if (status >= 300 && status < 400)
          resolve({ ok: false, retry: false, reason: `redirect ${status} not followed` });
        else
          resolve({ ok: false, retry: status >= 500 || status === 429, reason: `HTTP ${status}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ ok: false, retry: e.code !== 'ECALLBACKREFUSED', reason: e.message }),
    );
    req.end(body);
  });
}

/** POSTs the finished job to its callbackUrl, signed, with exponential backoff on 5xx and network errors. */
export async function deliverCallback(
  url: string,
  jobId: string,
  payload: unknown,
  options: CallbackOptions,
): Promise<{ delivered: boolean; attempts: number; reason: string }> {
  const body = JSON.stringify(payload);
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let reason = '';
  for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      [CALLBACK_TIMESTAMP_HEADER]: String(timestamp),
      'x-loupe-job-id': jobId,
    };
    if (options.secret)
      headers[CALLBACK_SIGNATURE_HEADER] = signCallback(options.secret, jobId, timestamp, body);
    const result = await post(new URL(url), body, headers, options);
    if (result.ok) return { delivered: true, attempts: attempt, reason: `HTTP ${result.status}` };
    reason = result.reason;
    if (!result.retry) return { delivered: false, attempts: attempt, reason };
    if (attempt <= options.retries) await sleep((options.backoffMs ?? 1000) * 2 ** (attempt - 1));
  }
  return { delivered: false, attempts: options.retries + 1, reason };
}
