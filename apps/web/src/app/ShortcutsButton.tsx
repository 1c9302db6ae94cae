import { useCallback, useRef, useState } from 'react';
import { IconButton } from '../ui/Button';
import { KeyboardIcon } from '../ui/icons';
import { useDismiss } from '../ui/use-dismiss';
import { SHORTCUTS } from './use-shortcuts';

export function ShortcutsButton() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const popover = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, close, popover, button);
  return (
    <div className="relative hidden sm:block">
      <IconButton
        ref={button}
        label="Keyboard shortcuts"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <KeyboardIcon />
      </IconButton>
      {open ? (
        <div
          ref={popover}
          role="dialog"
          aria-label="Keyboard shortcuts"
          className="absolute top-10 right-0 z-50 w-64 rounded-xl bg-white p-3 shadow-xl ring-1 ring-zinc-900/10 dark:bg-zinc-900 dark:ring-white/10"
        >
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-xs">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys} className="contents">
                <dt>
                  <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-[10px] dark:border-zinc-700 dark:bg-zinc-800">
                    {keys}
                  </kbd>
                </dt>
                <dd className="text-zinc-600 dark:text-zinc-300">{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </div>
  );
}
