import { useEffect } from 'react';
import { batchStore, useBatch } from './batch-store';
import { pictureSize } from './file-size';

/** Reads each queued file's picture size once, so its placement can be shown before it runs. */
export function useBatchSizes(): void {
  const unsized = useBatch((s) => s.items.filter((i) => !i.size && i.status !== 'failed').length);
  useEffect(() => {
    let live = true;
    for (const item of batchStore.getState().items) {
      if (item.size || item.status === 'failed') continue;
      void pictureSize(item.file).then(
        (size) => live && batchStore.getState().update(item.id, { size }),
        () => {}, // Not an image: opening or running it says so.
      );
    }
    return () => {
      live = false;
    };
  }, [unsized]);
}
