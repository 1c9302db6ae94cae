import { describe, expect, it } from 'vitest';
import { MODEL_CACHE_NAME } from '../inference/model-store';
import { shellCacheName, staleShellCaches } from './shell-manifest';

describe('shell caches', () => {
  it('names one cache per build and deletes only other builds’ shell caches', () => {
    const current = shellCacheName('68877179acbcdf45');
    expect(current).toBe('loupe-shell-68877179acbcdf45');
    expect(
      staleShellCaches(
        [current, shellCacheName('0000000000000000'), MODEL_CACHE_NAME, 'someone-else'],
        current,
      ),
    ).toEqual(['loupe-shell-0000000000000000']);
  });
});
