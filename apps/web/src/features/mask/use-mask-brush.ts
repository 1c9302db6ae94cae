import type { Mask, Size } from '@loupe/shared';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { documentStore, useEditor, type DocumentView } from '../../stores/editor-store';
import { maskBrush, runnableMask } from './mask-brush';
import { maskSlot, takesMask } from './mask-slot';

export function useMaskBrush<T>(selector: (s: ReturnType<typeof maskBrush.getState>) => T): T {
  return useStore(maskBrush, selector);
}

/**
 * The size of the picture the brush paints on, while the selected op takes a mask and that
 * picture is the one on the stage (else the strokes would land on other pixels); else null.
 * Keeps the brush on that picture as the document moves (a run, an undo, another step edited).
 */
export function useMaskInput(display: Size | null): Size | null {
  const key = useEditor((s) => (takesMask(s.op) ? maskSlot(s).key : null));
  const width = useEditor((s) => (takesMask(s.op) ? maskSlot(s).size?.width : undefined));
  const height = useEditor((s) => (takesMask(s.op) ? maskSlot(s).size?.height : undefined));
  useEffect(() => {
    if (key === null) return;
    const slot = maskSlot(documentStore.getState());
    maskBrush.getState().follow(slot.key, slot.size, slot.restore);
  }, [key]);
  if (!display || display.width !== width || display.height !== height) return null;
  return display;
}

/** The brush's mask for a run on `doc`, when one is painted on the picture it applies to. */
export function brushMaskFor(doc: DocumentView): Mask | null {
  const state = maskBrush.getState();
  return state.slot === maskSlot(doc).key ? runnableMask(state) : null;
}

/** Whether a run of `op` now would lack its mask: Run waits, and says why. */
export function useMaskMissing(): boolean {
  const op = useEditor((s) => s.op);
  const slotKey = useEditor((s) => (takesMask(s.op) ? maskSlot(s).key : null));
  const painted = useMaskBrush((s) => s.slot === slotKey && runnableMask(s) !== null);
  return takesMask(op) && !painted;
}

/** For the run path: the current document's brush mask (or undefined when the op takes none). */
export function currentBrushMask(): Mask | undefined {
  return brushMaskFor(documentStore.getState()) ?? undefined;
}
