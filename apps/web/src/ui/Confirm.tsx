import { useEffect, useRef } from 'react';
import { Button } from './Button';

/**
 * An inline question before something is lost (closing documents with steps): it replaces
 * the control that asked, takes focus on its safe answer, and Esc means no.
 */
export function Confirm({
  question,
  detail,
  confirm,
  cancel,
  onConfirm,
  onCancel,
}: {
  question: string;
  detail?: string;
  confirm: string;
  cancel: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const safe = useRef<HTMLButtonElement>(null);
  useEffect(() => safe.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label={question}
      className="space-y-2 rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-800 dark:text-amber-200"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p className="font-medium">{question}</p>
      {detail ? <p className="opacity-80">{detail}</p> : null}
      <div className="flex gap-2">
        <Button size="sm" variant="danger" onClick={onConfirm}>
          {confirm}
        </Button>
        <Button size="sm" variant="ghost" ref={safe} onClick={onCancel}>
          {cancel}
        </Button>
      </div>
    </div>
  );
}
