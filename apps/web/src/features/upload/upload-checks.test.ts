import { DEFAULT_UPLOAD_LIMITS, IMAGE_FORMAT_IDS, isLoupeError } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import {
  FILE_PICKER_ACCEPT,
  OPENABLE_FORMAT_NAMES,
  EmptyFileError,
  checkFileSize,
  checkNotEmpty,
  checkPixels,
  formatMegapixels,
  notAnImage,
  refusalTitle,
} from './upload-checks';

/** A server started with LOUPE_MAX_UPLOAD_BYTES=524288 and LOUPE_MAX_INPUT_PIXELS=2000000. */
const configured = { ...DEFAULT_UPLOAD_LIMITS, maxUploadBytes: 512 * 1024, maxInputPixels: 2e6 };

function refusal(check: () => void): { code: string; message: string } {
  try {
    check();
  } catch (e) {
    if (isLoupeError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected the check to refuse');
}

describe('what a file must be to open', () => {
  it('refuses a file over the server’s byte limit with that limit, and takes one at it', () => {
    expect(() => checkFileSize('a.png', 512 * 1024, configured)).not.toThrow();
    expect(refusal(() => checkFileSize('big.png', 600 * 1024, configured))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'big.png is 600 KB; the limit is 512 KB.',
    });
    // Under the default, over the configured limit: the configured one decides.
    expect(() => checkFileSize('big.png', 600 * 1024, DEFAULT_UPLOAD_LIMITS)).not.toThrow();
  });

  it('refuses more pixels than the server takes, saying how many and the limit', () => {
    expect(() => checkPixels('a.png', { width: 2000, height: 1000 }, configured)).not.toThrow();
    expect(
      refusal(() => checkPixels('wide.png', { width: 2001, height: 1000 }, configured)),
    ).toEqual({
      code: 'IMAGE_TOO_LARGE',
      message: 'wide.png is 2001 × 1000 (2.001 MP); the limit is 2 MP.',
    });
    expect(formatMegapixels(DEFAULT_UPLOAD_LIMITS.maxInputPixels)).toBe('50 MP');
    expect(formatMegapixels(10_000)).toBe('0.01 MP');
  });

  it('offers and names every format the browser decodes, from the shared table', () => {
    expect(OPENABLE_FORMAT_NAMES).toBe('PNG, JPEG, WebP, GIF, AVIF or BMP');
    expect(FILE_PICKER_ACCEPT.split(',')).toEqual([
      'image/png',
      '.png',
      'image/jpeg',
      '.jpg',
      '.jpeg',
      'image/webp',
      '.webp',
      'image/gif',
      '.gif',
      'image/avif',
      '.avif',
      'image/bmp',
      '.bmp',
    ]);
    expect(IMAGE_FORMAT_IDS).toHaveLength(6);
    expect(notAnImage('notes.txt').message).toBe(
      `notes.txt is not an image Loupe can open. Use ${OPENABLE_FORMAT_NAMES}.`,
    );
  });

  it('calls a zero-byte file empty, with its own title, and lets one byte through to the sniffer', () => {
    expect(() => checkNotEmpty('a.png', 1)).not.toThrow();
    let caught: unknown;
    try {
      checkNotEmpty('half.png', 0);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EmptyFileError);
    expect(refusalTitle(caught)).toBe('The file is empty');
    expect((caught as Error).message).toMatch(/^half\.png is 0 bytes/);
    expect(refusalTitle(notAnImage('x.txt'))).toBe('This file is not a supported image');
  });
});
