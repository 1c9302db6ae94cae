import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbaImage } from '@loupe/shared';
import { encodeImage, encodeImageToFile } from '@loupe/runtime-node/image-codec';
import type { EncodedTransport, OutputEncoding } from './protocol';

/**
 * In the child: encodes the result where the raster already is. Large results are encoded
 * straight into a temp file, so neither process ever holds the encoded bytes of a 100 MP
 * image in its heap; the parent streams the file to the client.
 */
export async function encodeForTransport(
  image: RgbaImage,
  output: OutputEncoding,
  tempDir: string,
  inlineMaxBytes: number,
): Promise<EncodedTransport> {
  if (image.data.byteLength <= inlineMaxBytes) {
    const bytes = await encodeImage(image, output);
    return {
      kind: 'inline',
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      size: bytes.length,
    };
  }
  const path = join(tempDir, `${randomUUID()}.${output.format}`);
  const size = await encodeImageToFile(image, output, path);
  return { kind: 'file', path, size };
}

export async function discardEncoded(result: EncodedTransport): Promise<void> {
  if (result.kind === 'file') await rm(result.path, { force: true });
}
