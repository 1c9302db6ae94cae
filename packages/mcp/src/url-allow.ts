import { LoupeError } from '@loupe/shared';

/**
 * The origins an image URL may come from, as `LOUPE_MCP_URL_ALLOW` spells them: comma-separated,
 * each an http(s) origin (`https://images.example.com`, `http://127.0.0.1:9000`). A tool call is
 * a model's choice, so the MCP server fetches nothing it was not told it may: the list is empty
 * unless set.
 *
 * @example parseAllowList('https://a.example, http://b.example:8080/ignored/path')
 *   // ['https://a.example', 'http://b.example:8080']
 */
export function parseAllowList(list: string | readonly string[] | undefined): string[] {
  const entries = typeof list === 'string' ? list.split(',') : (list ?? []);
  return entries
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        throw new Error(`LOUPE_MCP_URL_ALLOW: '${entry}' is not an http(s) origin`);
      return url.origin;
    });
}

/**
 * The URL, parsed, when its origin is on the list; a refusal naming `path` (the tool argument)
 * and saying how to allow it otherwise. Origins compare exactly: scheme, host and port.
 */
export function allowedUrl(raw: string, allow: readonly string[], path: string): URL {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new LoupeError('INVALID_REQUEST', `${path} must be an http(s) URL`, [
      { path, message: 'not an http(s) URL' },
    ]);
  if (!allow.includes(url.origin)) {
    const why = allow.length
      ? `${url.origin} is not on the allow-list (${allow.join(', ')})`
      : `no image URLs are allowed: set LOUPE_MCP_URL_ALLOW to the origins images may come from`;
    throw new LoupeError('INVALID_REQUEST', `Refused to fetch ${url.href}: ${why}`, [
      { path, message: why },
    ]);
  }
  return url;
}
