import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbaImage } from '@loupe/shared';
import {
  decodeImage,
  decodeImageToFile,
  readVipsRgba,
  type ImageHeader,
  type InputFormat,
} from '@loupe/runtime-node/image-codec';
import type { PixelTransport } from './protocol';

export interface DecodedInput {
  transport: PixelTransport;
  format: InputFormat;
}

/**
 * Decodes an upload for the inference child. Small images are decoded in memory and cross IPC
 * inline; above `inlineMaxBytes` of RGBA the decode streams into a temp file, so the HTTP
 * process holds the compressed upload and never the decoded pixels.
 */
export async function decodeForTransport(
  bytes: Uint8Array,
  /** readHeader's answer for these bytes: the decode does not read it again. */
  header: ImageHeader,
  maxPixels: number,
  tempDir: string,
  inlineMaxBytes: number,
): Promise<DecodedInput> {
  if (header.width * header.height * 4 <= inlineMaxBytes) {
    const { image, format } = await decodeImage(bytes, maxPixels, header);
    return { transport: { kind: 'inline', ...image }, format };
  }
  const file = await decodeImageToFile(
    bytes,
    maxPixels,
    join(tempDir, `${randomUUID()}.v`),
    header,
  );
  return {
    transport: { kind: 'vips-file', width: file.width, height: file.height, path: file.path },
    format: file.format,
  };
}

/** In the child: the RGBA raster. The file stays (the parent deletes it when the job ends). */
export async function unpackPixels(transport: PixelTransport): Promise<RgbaImage> {
  const { width, height } = transport;
  if (transport.kind === 'inline') return { width, height, data: transport.data };
  return { width, height, data: await readVipsRgba(transport.path, width, height) };
}

/** Frees the input when its job has ended, however it ended. */
export async function discardPixels(transport: PixelTransport): Promise<void> {
  if (transport.kind === 'vips-file') await rm(transport.path, { force: true });
}
