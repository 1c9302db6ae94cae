import type { UploadLimits } from '@loupe/shared';
import { workspace } from '../../services/workspace';
import { newDocumentId } from '../../stores/documents-store';
import { inspectImageFile } from '../upload/inspect-file';
import { refusalTitle } from '../upload/upload-checks';
import type { BatchItem } from './batch-store';

/** "The file is empty: half.png is 0 bytes: …": what a failed file says in the queue. */
export function failureText(e: unknown): string {
  return `${refusalTitle(e)}: ${(e as Error).message}`;
}

/**
 * Opens `file` as a batch document, without decoding it yet. A file that cannot be opened
 * (empty, not an image, over the limits) is still listed, failed, with the reason.
 */
export async function readBatchFile(
  id: string,
  file: Blob,
  name: string,
  limits: UploadLimits,
): Promise<BatchItem> {
  try {
    const info = await inspectImageFile(file, name, limits);
    workspace.add({
      id,
      name: info.name,
      format: info.format,
      bytes: info.bytes,
      file: info.file,
      sourceSize: info.size,
      history: [],
      cursor: -1,
    });
    return { id, name: info.name, file: info.file, size: info.size, status: 'waiting' };
  } catch (e) {
    return { id, name: name || 'pasted image', file, status: 'failed', error: failureText(e) };
  }
}

/** Each file as a batch item, checked up front so a bad one says why at once. */
export function readBatchFiles(files: readonly File[], limits: UploadLimits): Promise<BatchItem[]> {
  return Promise.all(files.map((f) => readBatchFile(newDocumentId(), f, f.name, limits)));
}
