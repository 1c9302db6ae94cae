import { useEffect } from 'react';
import { maskBrush } from './mask-brush';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(
    el &&
    (el.isContentEditable ||
      el.tagName === 'TEXTAREA' ||
      el.tagName === 'SELECT' ||
      (el.tagName === 'INPUT' && (el as HTMLInputElement).type === 'text')),
  );
}

/**
 * While the brush is on the stage: `[` and `]` size it, and Ctrl/⌘ Z (Shift for redo) takes
 * back the last stroke while there is one, before the editor's own undo of a whole step sees
 * the key. Listens in the capture phase on window, ahead of the editor's shortcuts.
 */
export function useMaskKeys(): void {
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (typing(e.target) || e.altKey) return;
      const brush = maskBrush.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (!mod && (e.key === '[' || e.key === ']')) {
        e.preventDefault();
        brush.stepRadius(e.key === ']' ? 1 : -1);
        return;
      }
      const redo = mod && ((e.key.toLowerCase() === 'z' && e.shiftKey) || e.key === 'y');
      const undo = mod && e.key.toLowerCase() === 'z' && !e.shiftKey;
      if ((undo && brush.undoStroke()) || (redo && brush.redoStroke())) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    window.addEventListener('keydown', down, { capture: true });
    return () => window.removeEventListener('keydown', down, { capture: true });
  }, []);
}
