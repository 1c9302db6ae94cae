import { useEffect } from 'react';
import { editorStore } from '../stores/editor-store';
import { zoomCommands } from '../features/compare/zoom-commands';
import { downloadCurrent } from '../features/download/download-current';
import { cancelRun } from '../features/run/use-run';

/** Single-letter shortcuts must not fire while the user types in a field. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return (
    el.tagName === 'INPUT' &&
    !['range', 'radio', 'checkbox', 'button', 'color'].includes((el as HTMLInputElement).type)
  );
}

export const SHORTCUTS: [keys: string, what: string][] = [
  ['Ctrl/⌘ O', 'Open image'],
  ['Ctrl/⌘ Enter', 'Run'],
  ['Esc', 'Cancel run'],
  ['Ctrl/⌘ Z', 'Undo'],
  ['Shift Ctrl/⌘ Z', 'Redo'],
  ['Ctrl/⌘ S', 'Download'],
  ['Hold O', 'Show original'],
  ['+ / −', 'Zoom in / out'],
  ['0', 'Fit to screen'],
  ['1', 'Actual pixels (1:1)'],
  ['C', 'Split / side by side'],
  ['G', 'GPU status'],
];

/** The editor's keyboard: one listener on window, each binding a command other controls also call. */
export function useShortcuts({ open, run }: { open(): void; run(): void }) {
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      const s = editorStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !typing(e.target)) {
        e.preventDefault();
        if (s.run.kind === 'idle') (e.shiftKey ? s.redo : s.undo)();
        return;
      }
      if (mod && key === 'y' && !typing(e.target)) {
        e.preventDefault();
        if (s.run.kind === 'idle') s.redo();
        return;
      }
      if (mod && key === 'o') return (e.preventDefault(), open());
      if (mod && key === 's') return (e.preventDefault(), void downloadCurrent());
      if (mod && e.key === 'Enter') return (e.preventDefault(), run());
      if (e.key === 'Escape' && s.run.kind === 'running') return cancelRun();
      if (mod || e.altKey || typing(e.target)) return;
      if (key === 'o' && !e.repeat && s.cursor >= 0) return s.setShowOriginal(true);
      if (e.key === '+' || e.key === '=') return zoomCommands.zoomIn();
      if (e.key === '-' || e.key === '_') return zoomCommands.zoomOut();
      if (e.key === '0') return zoomCommands.fit();
      if (e.key === '1') return zoomCommands.actual();
      if (key === 'c')
        return s.setCompareMode(s.compareMode === 'split' ? 'side-by-side' : 'split');
      if (key === 'g') return s.setGpuPanelOpen(!s.gpuPanelOpen);
    };
    const up = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'o') editorStore.getState().setShowOriginal(false);
    };
    const blur = () => editorStore.getState().setShowOriginal(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [open, run]);
}
