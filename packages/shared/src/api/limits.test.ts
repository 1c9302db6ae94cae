import { describe, expect, it } from 'vitest';
import { IMAGE_FORMAT_IDS, SERVER_IMAGE_FORMATS } from '../image/formats';
import {
  DEFAULT_UPLOAD_LIMITS,
  UploadLimitsSchema,
  acceptAttribute,
  imageFormatInfo,
} from './limits';

describe('upload limits', () => {
  it('defaults to what a server with no LOUPE_MAX_* answers: its decodable formats, 64 MiB, 50 MP', () => {
    expect(UploadLimitsSchema.parse(DEFAULT_UPLOAD_LIMITS)).toEqual(DEFAULT_UPLOAD_LIMITS);
    expect(DEFAULT_UPLOAD_LIMITS.formats.map((f) => f.id)).toEqual(SERVER_IMAGE_FORMATS);
    expect(DEFAULT_UPLOAD_LIMITS.maxUploadBytes).toBe(67_108_864);
    expect(DEFAULT_UPLOAD_LIMITS.maxInputPixels).toBe(50_000_000);
  });

  it('describes every format of the shared table with its MIME type and extensions', () => {
    expect(imageFormatInfo('jpeg')).toEqual({
      id: 'jpeg',
      name: 'JPEG',
      mime: 'image/jpeg',
      extensions: ['.jpg', '.jpeg'],
    });
    for (const id of IMAGE_FORMAT_IDS) {
      const info = imageFormatInfo(id);
      expect(info.mime).toMatch(/^image\/[a-z]+$/);
      expect(info.extensions.every((e) => /^\.[a-z]+$/.test(e))).toBe(true);
    }
  });

  it('builds a file input’s accept list from MIME types and extensions', () => {
    expect(acceptAttribute([imageFormatInfo('png'), imageFormatInfo('jpeg')])).toBe(
      'image/png,.png,image/jpeg,.jpg,.jpeg',
    );
  });

  it('refuses an answer with no formats, or a limit that is not a positive integer', () => {
    const bad = [
      { ...DEFAULT_UPLOAD_LIMITS, formats: [] },
      { ...DEFAULT_UPLOAD_LIMITS, maxUploadBytes: 0 },
      { ...DEFAULT_UPLOAD_LIMITS, maxInputPixels: 1.5 },
      { ...DEFAULT_UPLOAD_LIMITS, formats: [{ ...imageFormatInfo('png'), id: 'tiff' }] },
    ];
    expect(bad.map((b) => UploadLimitsSchema.safeParse(b).error?.issues[0]?.path)).toEqual([
      ['formats'],
      ['maxUploadBytes'],
      ['maxInputPixels'],
      ['formats', 0, 'id'],
    ]);
  });
});
