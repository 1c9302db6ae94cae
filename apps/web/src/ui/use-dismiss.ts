import { useEffect, type RefObject } from 'react';

/**
 * Closes a popover or panel on Esc and, when `outside` is set, on a pointer press outside
 * `ref`; either way focus goes back to `opener` (WAI-ARIA dialog pattern), unless the press
 * landed on another control that takes focus itself.
 */
export function useDismiss(
  open: boolean,
  close: () => void,
  ref: RefObject<HTMLElement | null>,
  opener: RefObject<HTMLElement | null>,
  { outside = true }: { outside?: boolean } = {},
): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Esc also cancels a run (use-shortcuts): the topmost thing open takes it first.
      e.preventDefault();
      e.stopImmediatePropagation();
      close();
      opener.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node | null;
      if (!target || ref.current?.contains(target) || opener.current?.contains(target)) return;
      close();
      // After the press's own default focus change, so a click on empty space still returns it.
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body)
          opener.current?.focus();
      });
    };
    document.addEventListener('keydown', onKey, true);
    if (outside) document.addEventListener('pointerdown', onPointer, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer, true);
    };
  }, [open, close, ref, opener, outside]);
}
