import { OPS, type Step } from '@loupe/shared';
import { useRef, useState } from 'react';
import { formatBytes } from '../../lib/format';
import { runs } from '../../services/runs';
import type { RunContext } from '../../services/run-service';
import { uiStore, useDocument, useDocuments, useUi } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { Confirm } from '../../ui/Confirm';
import { downloadSettings } from '../download/download-current';
import { closeDocuments, hasSteps, showDocument } from '../documents/document-actions';
import { useDocumentSteps } from '../documents/use-document-steps';
import { useRunContext } from '../run/use-run-context';
import { readBatchFile } from './add-files';
import { batchStore, useBatch, type BatchItem } from './batch-store';
import { BatchPlacement } from './BatchPlacement';
import { downloadAll, saveResult } from './download-all';
import { hasRecipe } from './recipe';
import { applyToAll, retry } from './run-batch';
import { serverUploadLimits } from '../upload/upload-limits';

type Shown = 'Running…' | 'Failed' | 'Open' | 'Done' | 'Waiting';

function statusOf(item: BatchItem, open: boolean, done: boolean): Shown {
  if (item.status === 'running') return 'Running…';
  if (item.status === 'failed') return 'Failed';
  if (open) return 'Open';
  return done ? 'Done' : 'Waiting';
}

const TONE: Record<Shown, string> = {
  'Running…': 'text-zinc-500',
  Failed: 'text-rose-500',
  Open: 'text-zinc-500',
  Done: 'text-emerald-600',
  Waiting: 'text-zinc-500',
};

/** Where a file goes: the decision its run made, or the one it would make now for its own size. */
function placementOf(item: BatchItem, context: RunContext | null, steps: readonly Step[]) {
  if (item.placement) return item.placement;
  if (!context || !item.size || !steps.length) return null;
  const { where, reason } = runs.place(context, { size: item.size, steps });
  return { where, reason };
}

function sayNotSaved(e: unknown) {
  uiStore.getState().notify({
    tone: 'error',
    title: 'The results could not be saved',
    detail: (e as Error).message,
  });
}

/** A file that could not be read is read again by its Retry, with the server's limits. */
const reopen = async (item: BatchItem) =>
  readBatchFile(item.id, item.file, item.name, await serverUploadLimits());

function BatchRow({
  item,
  recipe,
  context,
  busy,
  onRetry,
}: {
  item: BatchItem;
  recipe: readonly Step[];
  context: RunContext | null;
  busy: boolean;
  onRetry(): void;
}) {
  const open = useDocuments((s) => s.activeId === item.id);
  const readable = useDocuments((s) => s.tabs.some((t) => t.id === item.id));
  const steps = useDocumentSteps(item.id);
  const done = hasRecipe(steps, item, recipe);
  const status = statusOf(item, open, done);
  const placement = open || !readable ? null : placementOf(item, context, recipe);
  return (
    <li
      aria-label={item.name}
      className={`rounded-lg px-2 py-1.5 text-xs ${open ? 'bg-accent-500/10' : ''}`}
    >
      <div className="flex items-center gap-2">
        <button
          type="button"
          className="min-w-0 flex-1 truncate text-left font-medium hover:underline disabled:no-underline"
          disabled={busy || !readable}
          onClick={() => void showDocument(item.id)}
          title={item.error ?? item.name}
        >
          {item.name}
        </button>
        <span className="shrink-0 text-zinc-400">{formatBytes(item.file.size)}</span>
        {readable ? (
          <span data-testid="batch-steps" className="shrink-0 text-zinc-400">
            {steps.length} step{steps.length === 1 ? '' : 's'}
          </span>
        ) : null}
        <span data-testid="batch-status" className={`shrink-0 ${TONE[status]}`}>
          {status}
        </span>
        {steps.length ? (
          <button
            type="button"
            aria-label={`Download ${item.name}`}
            className="shrink-0 text-accent-500 hover:underline"
            disabled={busy}
            onClick={() => void saveResult(item, context).catch(sayNotSaved)}
          >
            Save
          </button>
        ) : null}
      </div>
      {placement ? <BatchPlacement {...placement} /> : null}
      {item.status === 'failed' && item.error ? (
        <div className="mt-1 flex items-start gap-2">
          <p
            data-testid="batch-error"
            className="min-w-0 flex-1 break-words text-rose-600 dark:text-rose-400"
          >
            {item.error}
          </p>
          <button
            type="button"
            aria-label={`Retry ${item.name}`}
            className="shrink-0 font-medium text-accent-500 hover:underline disabled:opacity-50"
            disabled={busy}
            onClick={onRetry}
          >
            Retry
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** Files dropped together, each its own document: open any, apply the recipe to all, download all. */
export function BatchPanel() {
  const items = useBatch((s) => s.items);
  const recipe = useBatch((s) => s.recipe);
  const recipeFrom = useBatch((s) => s.items.find((i) => i.id === s.recipeFrom)?.name ?? null);
  const running = useBatch((s) => s.running);
  const editorRunning = useUi((s) => s.run.kind === 'running');
  const shownCursor = useDocument((s) => s.cursor);
  const anyResult = useDocuments((s) =>
    items.some((i) =>
      s.activeId === i.id ? shownCursor >= 0 : (s.parked[i.id]?.cursor ?? -1) >= 0,
    ),
  );
  const { context } = useRunContext();
  const [asking, setAsking] = useState(false);
  const [zipping, setZipping] = useState(false);
  const controller = useRef<AbortController | null>(null);
  if (items.length < 2) return null;
  const start = async (task: (signal: AbortSignal) => Promise<void>) => {
    controller.current = new AbortController();
    await task(controller.current.signal);
  };
  const clear = async () => {
    setAsking(false);
    await closeDocuments(batchStore.getState().items.map((i) => i.id));
    batchStore.getState().clear();
  };
  const busy = running || editorRunning;
  return (
    <div className="space-y-3">
      <ul aria-label="Batch queue" className="space-y-1">
        {items.map((item) => (
          <BatchRow
            key={item.id}
            item={item}
            recipe={recipe}
            context={context}
            busy={busy}
            onRetry={() => void start((signal) => retry(item.id, context, signal, reopen))}
          />
        ))}
      </ul>
      {recipe.length ? (
        <p data-testid="batch-recipe" className="truncate text-[11px] text-zinc-500">
          Recipe: {recipe.map((s) => OPS[s.op].title).join(' → ')}
          {recipeFrom ? ` (from ${recipeFrom})` : ''}
        </p>
      ) : null}
      {asking ? (
        <Confirm
          question={`Close all ${items.length} files?`}
          detail="The steps made on them are lost; download what you want to keep first."
          confirm="Close files"
          cancel="Keep files"
          onConfirm={() => void clear()}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <div className="flex flex-wrap gap-2">
          {running ? (
            <Button size="sm" className="flex-1" onClick={() => controller.current?.abort()}>
              Stop batch
            </Button>
          ) : (
            <Button
              size="sm"
              className="flex-1"
              disabled={!recipe.length || !context || editorRunning}
              onClick={() => context && void start((signal) => applyToAll(context, signal))}
            >
              Apply {recipe.length} step{recipe.length === 1 ? '' : 's'} to all
            </Button>
          )}
          <Button
            size="sm"
            disabled={busy || zipping || !anyResult}
            onClick={() => {
              setZipping(true);
              void downloadAll(downloadSettings.format, downloadSettings.quality, context)
                .catch(sayNotSaved)
                .finally(() => setZipping(false));
            }}
          >
            Download all
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={busy}
            onClick={() =>
              batchStore.getState().items.some((i) => hasSteps(i.id))
                ? setAsking(true)
                : void clear()
            }
          >
            Clear
          </Button>
        </div>
      )}
    </div>
  );
}
