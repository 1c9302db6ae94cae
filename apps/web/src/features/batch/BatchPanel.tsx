import type { Step } from '@loupe/shared';
import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes } from '../../lib/format';
import { runs } from '../../services/runs';
import type { RunContext } from '../../services/run-service';
import { appliedSteps, useDocument, useUi } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { downloadName, encodeImage, saveBlob } from '../download/encode';
import { useRunContext } from '../run/use-run-context';
import { openFile } from '../upload/open-files';
import { batchStore, useBatch, type BatchItem, type BatchStatus } from './batch-store';
import { BatchPlacement } from './BatchPlacement';
import { runBatch } from './run-batch';
import { useBatchSizes } from './use-batch-sizes';

const STATUS: Record<BatchStatus, string> = {
  waiting: 'Waiting',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
};

/** Where a file goes: the decision its run made, or the one it would make now for its own size. */
function placementOf(item: BatchItem, context: RunContext | null, steps: readonly Step[]) {
  if (item.placement) return item.placement;
  if (!context || !item.size || !steps.length) return null;
  const { where, reason } = runs.place(context, { size: item.size, steps });
  return { where, reason };
}

/** Files dropped together: open any of them, or apply the open picture's steps to all. */
export function BatchPanel() {
  const items = useBatch((s) => s.items);
  const openId = useBatch((s) => s.openId);
  // A fresh array each call: compare element-wise or the store subscription loops forever.
  const steps = useDocument(useShallow(appliedSteps));
  const editorRunning = useUi((s) => s.run.kind === 'running');
  const { context } = useRunContext();
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);
  useBatchSizes();
  if (items.length < 2) return null;
  const start = async () => {
    if (!context) return;
    controller.current = new AbortController();
    setRunning(true);
    await runBatch(context, steps, controller.current.signal);
    setRunning(false);
  };
  return (
    <div className="space-y-3">
      <ul aria-label="Batch queue" className="space-y-1">
        {items.map((item) => {
          const placement = item.id === openId ? null : placementOf(item, context, steps);
          return (
            <li
              key={item.id}
              aria-label={item.file.name}
              className={`rounded-lg px-2 py-1.5 text-xs ${item.id === openId ? 'bg-accent-500/10' : ''}`}
            >
              <div className="flex items-center gap-2">
                <button
                  type="button"
                  className="min-w-0 flex-1 truncate text-left font-medium hover:underline"
                  disabled={running}
                  onClick={() => void openFile(item.file, item.id)}
                  title={item.error ?? item.file.name}
                >
                  {item.file.name}
                </button>
                <span className="shrink-0 text-zinc-400">{formatBytes(item.file.size)}</span>
                <span
                  data-testid="batch-status"
                  className={`shrink-0 ${item.status === 'failed' ? 'text-rose-500' : item.status === 'done' ? 'text-emerald-600' : 'text-zinc-500'}`}
                >
                  {item.id === openId ? 'Open' : STATUS[item.status]}
                </span>
                {item.result ? (
                  <button
                    type="button"
                    aria-label={`Download ${item.file.name}`}
                    className="shrink-0 text-accent-500 hover:underline"
                    onClick={() =>
                      void encodeImage(item.result!, 'png', 90).then((b) =>
                        saveBlob(b, downloadName(item.file.name, steps, 'png')),
                      )
                    }
                  >
                    Save
                  </button>
                ) : null}
              </div>
              {placement ? <BatchPlacement {...placement} /> : null}
            </li>
          );
        })}
      </ul>
      <div className="flex gap-2">
        {running ? (
          <Button size="sm" className="flex-1" onClick={() => controller.current?.abort()}>
            Stop batch
          </Button>
        ) : (
          <Button
            size="sm"
            className="flex-1"
            disabled={!steps.length || !context || editorRunning}
            onClick={() => void start()}
          >
            Apply {steps.length} step{steps.length === 1 ? '' : 's'} to all
          </Button>
        )}
        <Button
          size="sm"
          variant="ghost"
          disabled={running}
          onClick={() => batchStore.getState().clear()}
        >
          Clear
        </Button>
      </div>
    </div>
  );
}
