import { describe, expect, it } from 'vitest';
import { receive } from './envelope';
import {
  ShellRequestSchema,
  ShellResponseSchema,
  SkipWaitingMessageSchema,
} from './shell-messages';
import { PROTOCOL_VERSION } from './version';

describe('service worker messages', () => {
  it('answers a shell-status request with counts a page can check, refusing nonsense', () => {
    const asked = receive(
      ShellRequestSchema,
      { v: PROTOCOL_VERSION, id: '1', type: 'shell-status' },
      'INVALID_REQUEST',
    );
    expect(asked).toEqual({
      ok: true,
      message: { v: PROTOCOL_VERSION, id: '1', type: 'shell-status' },
    });
    const answer = { v: PROTOCOL_VERSION, id: '1', type: 'shell-status', version: 'ab', total: 11 };
    expect(receive(ShellResponseSchema, { ...answer, cached: 11 }, 'INTERNAL').ok).toBe(true);
    const negative = receive(ShellResponseSchema, { ...answer, cached: -1 }, 'INTERNAL');
    expect(negative.ok || negative.error.message).toMatch(/cached/);
  });

  it('refuses a request of another protocol version with an incompatible answer', () => {
    const other = receive(
      ShellRequestSchema,
      { v: PROTOCOL_VERSION + 1, id: '2', type: 'shell-status' },
      'INVALID_REQUEST',
    );
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.reply).toMatchObject({ type: 'incompatible', id: '2' });
  });

  it('reads skip-waiting without a version: a page of one build sends it to the next build', () => {
    expect(SkipWaitingMessageSchema.safeParse({ type: 'skip-waiting' }).success).toBe(true);
    expect(
      SkipWaitingMessageSchema.safeParse({ v: 999, type: 'skip-waiting', id: 'x' }).success,
    ).toBe(true);
    expect(SkipWaitingMessageSchema.safeParse({ type: 'shell-status' }).success).toBe(false);
  });
});
