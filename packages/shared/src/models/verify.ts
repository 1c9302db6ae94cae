import { LoupeError } from '../api/loupe-error';
import type { ManifestEntry } from './manifest';

/** The slice of Web Crypto we use; typed here because shared compiles without DOM or Node types. */
interface Sha256Digest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function subtle(): Sha256Digest {
  const crypto = (globalThis as { crypto?: { subtle?: Sha256Digest } }).crypto;
  if (!crypto?.subtle)
    throw new Error('Web Crypto (crypto.subtle) is not available in this runtime');
  return crypto.subtle;
}

/**
 * Lowercase hex sha256 of `bytes`, with Web Crypto (browsers, workers and Node >= 20 alike).
 *
 * @example await sha256Hex(Uint8Array.of(0x61, 0x62, 0x63)) // 'abc'
 *   // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks downloaded or read model bytes against their manifest entry before a session is
 * created from them: a truncated download or a stale file must fail with a fix, not as a
 * shape error deep inside onnxruntime.
 *
 * @example await verifyModelBytes(findManifestEntry(manifest, 'isnet-quint8')!, bytes);
 * @throws LoupeError('MODEL_UNAVAILABLE') naming the file, the expected and actual sha256.
 */
export async function verifyModelBytes(entry: ManifestEntry, bytes: Uint8Array): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual === entry.sha256 && bytes.byteLength === entry.bytes) return;
  const size =
    bytes.byteLength === entry.bytes ? '' : ` (${bytes.byteLength} bytes, expected ${entry.bytes})`;
  throw new LoupeError(
    'MODEL_UNAVAILABLE',
    `Model file ${entry.file} is corrupted or out of date${size}: expected sha256 ${entry.sha256}, ` +
      `got ${actual}. Rebuild the models with \`pnpm models\`.`,
  );
}
