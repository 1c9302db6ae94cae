import { describe, expect, it } from 'vitest';
import { IMAGE_FORMAT_IDS, SERVER_IMAGE_FORMATS, formatList, sniffImageFormat } from './formats';

/** The first bytes of a file, padded to 16. */
const head = (...parts: (string | number[])[]) => {
  const bytes = parts.flatMap((p) =>
    typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p,
  );
  return Uint8Array.from([...bytes, ...new Array<number>(16).fill(0)].slice(0, 16));
};

describe('sniffImageFormat', () => {
  it('recognises each format by its magic bytes', () => {
    expect(sniffImageFormat(head([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffImageFormat(head([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(head('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('webp');
    expect(sniffImageFormat(head('GIF89a'))).toBe('gif');
    expect(sniffImageFormat(head('GIF87a'))).toBe('gif');
    expect(sniffImageFormat(head([0, 0, 0, 0x1c], 'ftypavif'))).toBe('avif');
    expect(sniffImageFormat(head([0, 0, 0, 0x1c], 'ftypavis'))).toBe('avif');
    expect(sniffImageFormat(head('BM', [0x36, 0x10]))).toBe('bmp');
  });

  it('refuses look-alikes and what libvips would open but we do not expose', () => {
    expect(sniffImageFormat(head([0, 0, 0, 0x18], 'ftypheic'))).toBeNull();
    expect(sniffImageFormat(head([0x89], 'PNG', [0x00, 0x00]))).toBeNull();
    expect(sniffImageFormat(head('GIF88a'))).toBeNull();
    expect(sniffImageFormat(head('RIFF', [1, 2, 3, 4], 'WAVE'))).toBeNull();
    expect(sniffImageFormat(head('<svg xmlns="'))).toBeNull();
    expect(sniffImageFormat(head('II*', [0]))).toBeNull(); // TIFF
    expect(sniffImageFormat(Uint8Array.of(0xff, 0xd8, 0xff))).toBeNull(); // too short to tell
  });

  it("lists the server formats (no BMP) and names them in the user's words", () => {
    expect(SERVER_IMAGE_FORMATS).toEqual(['png', 'jpeg', 'webp', 'gif', 'avif']);
    expect(formatList(IMAGE_FORMAT_IDS)).toBe('PNG, JPEG, WebP, GIF, AVIF or BMP');
    expect(formatList(['png'])).toBe('PNG');
  });
});
