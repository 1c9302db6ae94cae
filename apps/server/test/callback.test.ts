import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackAllowList, isPublicAddress } from '../src/jobs/address-guard';
import { checkCallbackUrl, deliverCallback, signCallback } from '../src/jobs/callback';

/** A real receiver on 127.0.0.1 that answers with the given statuses in turn. */
async function receiver(statuses: number[], headers: Record<string, string> = {}) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push(body);
      res.writeHead(statuses[Math.min(hits.length - 1, statuses.length - 1)]!, headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, hits, port: (server.address() as AddressInfo).port };
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));
const noSleep = { sleep: async () => {}, backoffMs: 1 };

describe('callback address guard', () => {
  it('refuses loopback, private, link-local/metadata, CGNAT and mapped addresses; allows public ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])
      expect(isPublicAddress(a), a).toBe(true);
  });

  it('honours LOUPE_CALLBACK_ALLOW entries: hosts, addresses and CIDRs', () => {
    const allow = new CallbackAllowList(['hooks.internal', '10.0.0.0/8', '127.0.0.1']);
    expect(allow.allowsHost('HOOKS.internal')).toBe(true);
    expect(allow.allowsAddress('10.9.9.9')).toBe(true);
    expect(allow.allowsAddress('::ffff:127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('192.168.0.1')).toBe(false);
    expect(() => checkCallbackUrl('http://192.168.0.1/x', allow)).toThrow(/private address/);
    expect(() => checkCallbackUrl('http://10.1.1.1/x', allow)).not.toThrow();
  });
});

describe('deliverCallback', () => {
  it('signs HMAC-SHA256 over id.timestamp.body and retries 5xx with backoff until delivered', async () => {
    const r = await receiver([503, 500, 200]);
    servers.push(r.server);
    const delays: number[] = [];
    const result = await deliverCallback(
      `http://127.0.0.1:${r.port}/hook`,
      'job-1',
      { state: 'succeeded' },
      {
        secret: 's',
        allow: new CallbackAllowList(['127.0.0.1']),
        retries: 4,
        backoffMs: 100,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(result).toMatchObject({ delivered: true, attempts: 3 });
    expect(delays).toEqual([100, 200]);
    expect(r.hits).toHaveLength(3);
    // Known answer from `printf 'job-1.1700000000.{"a":1}' | openssl dgst -sha256 -hmac s`.
    expect(signCallback('s', 'job-1', 1700000000, '{"a":1}')).toBe(
      'sha256=78fee031654dea53bee2584c25f0b0ae866490aa4e9c9a87a75f813497eb178f',
    );
    expect(signCallback('s', 'job-1', 1, 'x')).not.toBe(signCallback('s', 'job-1', 2, 'x'));
  });

  it('does not follow redirects and does not retry them', async () => {
    const target = await receiver([200]);
    const r = await receiver([302], { location: `http://127.0.0.1:${target.port}/elsewhere` });
    servers.push(r.server, target.server);
    const result = await deliverCallback(
      `http://127.0.0.1:${r.port}/hook`,
      'job-2',
      {},
      { secret: 's', allow: new CallbackAllowList(['127.0.0.1']), retries: 3, ...noSleep },
    );
    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect(result.reason).toContain('redirect');
    expect(target.hits).toHaveLength(0);
  });

  it('refuses a host name that resolves to a private address, at connect time, without retrying', async () => {
    const r = await receiver([200]);
    servers.push(r.server);
    const result = await deliverCallback(
      `http://localhost:${r.port}/hook`,
      'job-3',
      {},
      { secret: 's', allow: new CallbackAllowList([]), retries: 3, ...noSleep },
    );
    expect(result.delivered).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.reason).toMatch(/refused address/);
    expect(r.hits).toHaveLength(0);
  });
});
