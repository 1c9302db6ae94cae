import { createReadStream, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { discardEncoded } from '../inference/encoded-transport';
import type { JobResult } from './job';

function inlineBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What a route sends: the bytes, or a stream of the result file (never read whole into memory). */
export function resultBody(result: JobResult): Buffer | ReadStream {
  return result.kind === 'file' ? createReadStream(result.path) : inlineBuffer(result.bytes);
}

/** The whole result in memory, for the JSON (base64) answer. */
export async function resultBytes(result: JobResult): Promise<Buffer> {
  return result.kind === 'file' ? readFile(result.path) : inlineBuffer(result.bytes);
}

export function disposeResult(result: JobResult): Promise<void> {
  return discardEncoded(result);
}
