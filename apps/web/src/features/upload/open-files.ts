import { editorStore } from '../../stores/editor-store';
import { batchStore } from '../batch/batch-store';
import { loadImageFile } from './load-file';
import { refusalTitle } from './upload-checks';

/**
 * Everything that brings files in (drop, picker, paste) ends here. One file replaces the
 * picture; several become a batch queue and the first is opened. A file that fails to load
 * is reported and the current picture stays.
 */
export async function openFiles(files: File[]): Promise<void> {
  if (!files.length) return;
  if (files.length > 1) {
    const added = batchStore.getState().add(files);
    await openFile(added[0]!.file, added[0]!.id);
    return;
  }
  await openFile(files[0]!, null);
}

export async function openFile(file: File, batchId: number | null): Promise<boolean> {
  const editor = editorStore.getState();
  if (editor.run.kind === 'running') {
    editor.notify({ tone: 'info', title: 'Finish or cancel the current run first' });
    return false;
  }
  try {
    const source = await loadImageFile(file);
    editorStore.getState().loadSource(source);
    batchStore.getState().setOpen(batchId);
    return true;
  } catch (e) {
    editorStore.getState().notify({
      tone: 'error',
      title: refusalTitle(e),
      detail: (e as Error).message,
    });
    if (batchId !== null)
      batchStore.getState().update(batchId, { status: 'failed', error: (e as Error).message });
    return false;
  }
}
