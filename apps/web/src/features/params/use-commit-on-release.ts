import { useEffect, useRef, useState } from 'react';

/**
 * A callback ref that calls `onCommit` when the user lets go of a control's value: on the
 * native `change` event (a slider's pointer released, a colour picked, an option chosen, a box
 * ticked), which React does not expose (its onChange is the `input` event, every step of a drag).
 * While a key is held the commit waits for it to come up: an arrow key held on a slider repeats,
 * and every repeat fires `change`.
 */
export function useCommitOnRelease<E extends HTMLElement>(
  onCommit: (() => void) | undefined,
): (el: E | null) => void {
  const [el, setEl] = useState<E | null>(null);
  const latest = useRef(onCommit);
  useEffect(() => {
    latest.current = onCommit;
  });
  useEffect(() => {
    if (!el) return;
    let held = false;
    let pending = false;
    const commit = () => {
      pending = false;
      // After React's own handler: a select's onChange is this very event, and it sets the value.
      queueMicrotask(() => latest.current?.());
    };
    const change = () => (held ? (pending = true) : commit());
    const down = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') held = true;
    };
    const up = () => {
      held = false;
      if (pending) commit();
    };
    el.addEventListener('change', change);
    el.addEventListener('keydown', down);
    el.addEventListener('keyup', up);
    // Focus leaving while a key is still down (Alt+Tab) must not strand the change.
    el.addEventListener('blur', up);
    return () => {
      el.removeEventListener('change', change);
      el.removeEventListener('keydown', down);
      el.removeEventListener('keyup', up);
      el.removeEventListener('blur', up);
    };
  }, [el]);
  return setEl;
}
