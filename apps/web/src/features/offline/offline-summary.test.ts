import { describe, expect, it } from 'vitest';
import { offlineSummary } from './offline-summary';

const active = (cached: number, total = 11) =>
  ({ kind: 'active', version: '68877179acbcdf45', cached, total }) as const;

describe('offlineSummary', () => {
  it('says "kept for offline use" only when the whole shell and a model are cached', () => {
    expect(offlineSummary(active(11), 2)).toEqual({
      ready: true,
      text: 'Ready: the app and 2 models are kept for offline use',
    });
    expect(offlineSummary(active(11), 1).text).toBe(
      'Ready: the app and 1 model is kept for offline use',
    );
    for (const [shell, models] of [
      [active(11), 0],
      [active(10), 3],
      [{ kind: 'installing' }, 3],
      [{ kind: 'development' }, 3],
      [{ kind: 'unavailable', reason: 'no service worker' }, 3],
      [undefined, 3],
    ] as const) {
      const summary = offlineSummary(shell, models);
      expect(summary.ready, summary.text).toBe(false);
      expect(summary.text).not.toContain('kept for offline use');
    }
  });

  it('says what is missing', () => {
    expect(offlineSummary(active(10), 3).text).toBe('Incomplete: 10 of 11 app files saved');
    expect(offlineSummary(active(11), 0).text).toBe(
      'The app is saved; no model yet (each is saved on first use)',
    );
    expect(offlineSummary({ kind: 'unavailable', reason: 'SecurityError' }, 0).text).toBe(
      'Unavailable: SecurityError',
    );
  });
});
