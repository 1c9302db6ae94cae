import { describe, expect, it } from 'vitest';
import { FailureWindow } from '../src/security/failure-window';

describe('FailureWindow (failed-auth limiter)', () => {
  it('blocks a client after max failures until its window ends, others unaffected', () => {
    let now = 1_000_000;
    const window = new FailureWindow(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.blockedFor('a')).toBe(0);
      window.record('a');
    }
    expect(window.blockedFor('a')).toBe(60);
    expect(window.blockedFor('b')).toBe(0);
    now += 59_500;
    expect(window.blockedFor('a')).toBe(1);
    now += 500;
    expect(window.blockedFor('a')).toBe(0);
    window.record('a');
    expect(window.blockedFor('a')).toBe(0);
  });
});
