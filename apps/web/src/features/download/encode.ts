import {
  describePipeline,
  pngTextChunks,
  withPngChunks,
  withoutColourUnderTransparent,
  type OutputFormat,
  type RgbaImage,
  type Step,
} from '@loupe/shared';
import { paint } from '../../lib/image-canvas';
import { encodePng } from '../../lib/png';

export const FORMAT_INFO: Record<
  OutputFormat,
  { label: string; mime: string; ext: string; alpha: boolean; lossy: boolean }
> = {
  png: { label: 'PNG', mime: 'image/png', ext: 'png', alpha: true, lossy: false },
  webp: { label: 'WebP', mime: 'image/webp', ext: 'webp', alpha: true, lossy: true },
  jpeg: { label: 'JPEG', mime: 'image/jpeg', ext: 'jpg', alpha: false, lossy: true },
};

/**
 * The download's name says what was done, e.g. `photo_upscale-slim-x4.png`.
 *
 * @example downloadName('photo.jpeg', [{ op: 'upscale', params: { model: 'slim', scale: 4 } }], 'png')
 *   // 'photo_upscale-slim-x4.png'
 */
export function downloadName(
  sourceName: string,
  steps: readonly Step[],
  format: OutputFormat,
): string {
  const base =
    sourceName
      .replace(/\.[^.]+$/, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'image';
  const what = steps.length ? `_${describePipeline(steps)}` : '';
  return `${base}${what}.${FORMAT_INFO[format].ext}`;
}

/**
 * PNG is written exactly (straight alpha, no canvas rounding). WebP keeps alpha through the
 * canvas encoder. JPEG has no alpha, so transparent areas are flattened onto white rather
 * than the encoder's default black. Whatever the format, fully transparent pixels are saved
 * with colour 0 (apps/web/README.md, "Transparent pixels"): a picture may arrive with colour
 * hidden under alpha 0 (a file made elsewhere, an older result), and a download must not carry it.
 * A PNG carries `text` as text chunks (keyword → text), e.g. a generated picture's `parameters`
 * (the other formats have no place SD tools read them from).
 */
export async function encodeImage(
  picture: RgbaImage,
  format: OutputFormat,
  quality: number,
  text: Readonly<Record<string, string>> = {},
): Promise<Blob> {
  const image = withoutColourUnderTransparent(picture);
  if (format === 'png') {
    const png = await encodePng(image);
    if (!Object.keys(text).length) return png;
    const bytes = withPngChunks(new Uint8Array(await png.arrayBuffer()), pngTextChunks(text));
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });
  }
  const canvas = new OffscreenCanvas(image.width, image.height);
  paint(canvas, image);
  if (format === 'jpeg') {
    const flat = new OffscreenCanvas(image.width, image.height);
    const ctx = flat.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, image.width, image.height);
    ctx.drawImage(canvas, 0, 0);
    return flat.convertToBlob({ type: 'image/jpeg', quality: quality / 100 });
  }
  return canvas.convertToBlob({ type: FORMAT_INFO[format].mime, quality: quality / 100 });
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: Chromium reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
