import { useState } from 'react';
import { useDocuments, type DocumentTab } from '../../stores/editor-store';
import { Confirm } from '../../ui/Confirm';
import { CloseIcon } from '../../ui/icons';
import { closeDocuments, hasSteps, showDocument } from './document-actions';
import { useDocumentSteps } from './use-document-steps';

function Tab({ tab, selected, onClose }: { tab: DocumentTab; selected: boolean; onClose(): void }) {
  const steps = useDocumentSteps(tab.id).length;
  return (
    <div
      className={`group flex h-8 max-w-56 shrink-0 items-center rounded-t-lg border border-b-0 text-xs pointer-coarse:h-11 ${selected ? 'border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100' : 'border-transparent text-zinc-500 hover:bg-zinc-200/60 dark:hover:bg-zinc-800/60'}`}
    >
      <button
        type="button"
        role="tab"
        aria-selected={selected}
        aria-label={tab.name}
        title={tab.name}
        className="flex h-full min-w-0 items-center gap-1.5 pr-1 pl-3"
        onClick={() => void showDocument(tab.id)}
      >
        <span className="truncate">{tab.name}</span>
        {steps ? (
          <span className="rounded bg-zinc-200 px-1 text-[10px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {steps}
          </span>
        ) : null}
      </button>
      <button
        type="button"
        aria-label={`Close ${tab.name}`}
        title={`Close ${tab.name}`}
        className="mr-1 flex items-center justify-center rounded p-1 opacity-60 hover:bg-zinc-200 hover:opacity-100 pointer-coarse:size-11 dark:hover:bg-zinc-700"
        onClick={onClose}
      >
        <CloseIcon width={12} height={12} />
      </button>
    </div>
  );
}

/**
 * Open documents as tabs, like an editor's: a picture opened over one with steps does not
 * replace it, it opens beside it. Closing one with steps asks first. Shown from two documents.
 */
export function DocumentTabs() {
  const tabs = useDocuments((s) => s.tabs);
  const activeId = useDocuments((s) => s.activeId);
  const [closing, setClosing] = useState<DocumentTab | null>(null);
  if (tabs.length < 2) return null;
  return (
    <nav
      aria-label="Documents"
      className="relative z-20 flex shrink-0 items-end border-b border-zinc-200 bg-zinc-100/80 px-2 pt-1 dark:border-zinc-800 dark:bg-zinc-950/60"
    >
      <div
        role="tablist"
        aria-label="Documents"
        className="scrollbar-thin flex min-w-0 gap-1 overflow-x-auto"
      >
        {tabs.map((tab) => (
          <Tab
            key={tab.id}
            tab={tab}
            selected={tab.id === activeId}
            onClose={() => (hasSteps(tab.id) ? setClosing(tab) : void closeDocuments([tab.id]))}
          />
        ))}
      </div>
      {closing ? (
        <div className="absolute top-full left-2 mt-1 w-72 rounded-lg bg-white shadow-lg ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-700">
          <Confirm
            question={`Close ${closing.name}?`}
            detail="Its steps are lost; download what you want to keep first."
            confirm="Close document"
            cancel="Keep it"
            onConfirm={() => {
              setClosing(null);
              void closeDocuments([closing.id]);
            }}
            onCancel={() => setClosing(null)}
          />
        </div>
      ) : null}
    </nav>
  );
}
