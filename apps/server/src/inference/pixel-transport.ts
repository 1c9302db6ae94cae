import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbaImage } from '@loupe/shared';
import type { PixelTransport } from './protocol';

/**
 * Pixels cross the process boundary inline when small; above `inlineMaxBytes` they go
 * through a temp file so one 50 MP image (200 MB of RGBA) is not serialised into an IPC
 * frame and held twice in both processes' heaps. The receiver deletes the file.
 */
export async function packPixels(
  image: RgbaImage,
  tempDir: string,
  inlineMaxBytes: number,
): Promise<PixelTransport> {
  const { width, height, data } = image;
  if (data.byteLength <= inlineMaxBytes) return { kind: 'inline', width, height, data };
  const path = join(tempDir, `${randomUUID()}.rgba`);
  await writeFile(path, data);
  return { kind: 'file', width, height, path };
}

export async function unpackPixels(transport: PixelTransport): Promise<RgbaImage> {
  const { width, height } = transport;
  if (transport.kind === 'inline') return { width, height, data: transport.data };
  const bytes = await readFile(transport.path);
  await rm(transport.path, { force: true });
  if (bytes.byteLength !== width * height * 4) {
    throw new Error(
      `pixel file ${transport.path} holds ${bytes.byteLength} bytes, expected ${width * height * 4}`,
    );
  }
  return { width, height, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Frees a transport that will never be unpacked (job cancelled or the child died). */
export async function discardPixels(transport: PixelTransport): Promise<void> {
  if (transport.kind === 'file') await rm(transport.path, { force: true });
}
