import { workspace } from '../../services/workspace';
import { documentsStore, editorStore } from '../../stores/editor-store';
import { readBatchFiles } from '../batch/add-files';
import { batchStore } from '../batch/batch-store';
import { hasSteps, refuseIfBlocked, showDocument } from '../documents/document-actions';
import { offerParametersOf } from '../generate/parameters-offer';
import { loadImageFile } from './load-file';
import { refusalTitle } from './upload-checks';
import { serverUploadLimits } from './upload-limits';

/**
 * Whether the shown document is work to keep when another picture comes in: it has steps,
 * or it is a batch file. An untouched single picture is simply replaced.
 */
function shownIsWork(): boolean {
  const id = documentsStore.getState().activeId;
  if (!id) return false;
  return hasSteps(id) || batchStore.getState().items.some((i) => i.id === id);
}

function sayKept(name: string | undefined): void {
  if (!name) return;
  editorStore.getState().notify({
    tone: 'info',
    title: `${name} is still open`,
    detail: 'Go back to it, with its steps, from Documents above the picture.',
  });
}

/**
 * Everything that brings files in (drop, picker, paste) ends here. One file opens as a new
 * document; several join the batch and the first that can be read is shown. The shown
 * document is kept (with its steps) when it is work, replaced when it is an untouched picture.
 * A file that fails to load is reported and nothing changes.
 */
export async function openFiles(files: File[]): Promise<void> {
  if (!files.length || refuseIfBlocked()) return;
  const shown = editorStore.getState().source?.name;
  const keep = shownIsWork();
  const replaced = keep ? null : documentsStore.getState().activeId;
  if (files.length > 1) {
    const items = await readBatchFiles(files, await serverUploadLimits());
    batchStore.getState().add(items);
    const first = items.find((i) => i.status !== 'failed');
    if (!first || !(await showDocument(first.id))) return;
    if (replaced) await workspace.close(replaced);
    if (keep) sayKept(shown);
    return;
  }
  try {
    const source = await loadImageFile(files[0]!);
    await workspace.open(source, { keepShown: keep });
    if (keep) sayKept(shown);
    // Opened as any picture; a PNG that says how it was made is offered for the prompt panel.
    if (source.file) void offerParametersOf(source.file, source.name);
  } catch (e) {
    editorStore.getState().notify({
      tone: 'error',
      title: refusalTitle(e),
      detail: (e as Error).message,
    });
  }
}
