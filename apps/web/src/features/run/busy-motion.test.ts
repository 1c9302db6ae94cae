import { describe, expect, it } from 'vitest';
import { busyMotion } from './busy-motion';

describe('busy indicators', () => {
  it('stand still while the edit runs in this browser, whose CPU it needs', () => {
    expect(busyMotion({ where: 'browser' }, 'spin')).toBe('');
    expect(busyMotion({ where: 'browser' }, 'pulse')).toBe('');
  });

  it('move for a server run, only where the user has not asked for reduced motion', () => {
    expect(busyMotion({ where: 'server' }, 'spin')).toBe('motion-safe:animate-spin');
    expect(busyMotion({ where: 'server' }, 'pulse')).toBe('motion-safe:animate-pulse');
  });
});
