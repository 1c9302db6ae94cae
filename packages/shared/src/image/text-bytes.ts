/**
 * Text ↔ bytes for PNG's two encodings. UTF-8 goes through the platform's TextEncoder and
 * TextDecoder (every browser, worker and Node has them; shared's lib has no DOM types, so they
 * are declared here by the little that is used).
 */

interface Utf8Codecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: 'utf-8') => { decode(bytes: Uint8Array): string };
}
const codecs = globalThis as unknown as Utf8Codecs;

export const utf8Encode = (text: string): Uint8Array => new codecs.TextEncoder().encode(text);

/** Invalid sequences become U+FFFD rather than an error: a damaged byte loses one character. */
export const utf8Decode = (bytes: Uint8Array): string =>
  new codecs.TextDecoder('utf-8').decode(bytes);

/** ISO 8859-1: each byte is the code point of the same number. */
export function latin1Decode(bytes: Uint8Array): string {
  let out = '';
  // In slices: fromCharCode's argument count is bounded by the engine's stack.
  for (let i = 0; i < bytes.length; i += 8192)
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
