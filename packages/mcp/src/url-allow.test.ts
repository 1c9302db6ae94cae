import { describe, expect, it } from 'vitest';
import type { LoupeError } from '@loupe/shared';
import { allowedUrl, parseAllowList } from './url-allow';

describe('the image URL allow-list', () => {
  it('keeps each entry as its origin and refuses what is not an http(s) origin', () => {
    expect(parseAllowList(' https://a.example , http://b.example:8080/some/path,')).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(parseAllowList(undefined)).toEqual([]);
    expect(() => parseAllowList('ftp://files.example')).toThrow(/not an http\(s\) origin/);
    expect(() => parseAllowList('images.example')).toThrow(/not an http\(s\) origin/);
  });

  it('allows exactly the listed origins: scheme, host and port', () => {
    const allow = parseAllowList('https://a.example');
    expect(allowedUrl('https://a.example/cat.png?x=1', allow, 'image.url').href).toBe(
      'https://a.example/cat.png?x=1',
    );
    for (const other of [
      'http://a.example/cat.png',
      'https://a.example:8443/cat.png',
      'https://b.a.example/cat.png',
      'https://a.example.evil.test/cat.png',
    ]) {
      const refusal = (() => {
        try {
          allowedUrl(other, allow, 'images.2.url');
        } catch (e) {
          return e as LoupeError;
        }
      })();
      expect(refusal?.code, other).toBe('INVALID_REQUEST');
      expect(refusal?.fields?.[0]?.path, other).toBe('images.2.url');
      expect(refusal?.message, other).toMatch(/is not on the allow-list \(https:\/\/a\.example\)/);
    }
  });

  it('an empty list refuses every URL and says how to allow one; non-http URLs are refused as such', () => {
    expect(() => allowedUrl('https://a.example/x.png', [], 'image.url')).toThrow(
      /set LOUPE_MCP_URL_ALLOW/,
    );
    expect(() => allowedUrl('file:///etc/passwd', ['https://a.example'], 'image.url')).toThrow(
      /image\.url must be an http\(s\) URL/,
    );
  });
});
