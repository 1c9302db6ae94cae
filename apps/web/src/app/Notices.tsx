import { useEffect } from 'react';
import { UpdateNotice } from '../features/offline/UpdateNotice';
import { useEditor, type Notice } from '../stores/editor-store';
import { CloseIcon } from '../ui/icons';

const TONE: Record<Notice['tone'], string> = {
  error: 'border-rose-500/40 bg-rose-50 text-rose-900 dark:bg-rose-950/80 dark:text-rose-100',
  info: 'border-zinc-300 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
  success:
    'border-emerald-500/40 bg-emerald-50 text-emerald-900 dark:bg-emerald-950/80 dark:text-emerald-100',
};

/**
 * Toasts. Errors stay until dismissed (they explain what to do); the rest fade after 5 s.
 * They sit over the stage, below its top badges and above its bottom toolbar, so they never
 * cover Run, Download or the other controls in the sidebar. Rendered inside the stage.
 */
export function Notices() {
  const notices = useEditor((s) => s.notices);
  return (
    <div className="pointer-events-none absolute top-12 left-3 z-50 flex max-h-[calc(100%-8rem)] w-[min(24rem,calc(100%-1.5rem))] flex-col gap-2 overflow-hidden">
      <UpdateNotice />
      {notices.map((n) => (
        <Toast key={n.id} notice={n} />
      ))}
    </div>
  );
}

function Toast({ notice }: { notice: Notice }) {
  const dismiss = useEditor((s) => s.dismiss);
  useEffect(() => {
    if (notice.tone === 'error') return;
    const t = setTimeout(() => dismiss(notice.id), 5_000);
    return () => clearTimeout(t);
  }, [notice, dismiss]);
  return (
    <div
      role={notice.tone === 'error' ? 'alert' : 'status'}
      className={`pointer-events-auto flex items-start gap-3 rounded-xl border px-4 py-3 shadow-lg ${TONE[notice.tone]}`}
    >
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold">{notice.title}</p>
        {notice.detail ? (
          <p className="mt-0.5 text-xs break-words opacity-80">{notice.detail}</p>
        ) : null}
      </div>
      <button
        type="button"
        aria-label="Dismiss"
        onClick={() => dismiss(notice.id)}
        className="-mr-1 rounded p-0.5 opacity-60 hover:opacity-100"
      >
        <CloseIcon width={16} height={16} />
      </button>
    </div>
  );
}
