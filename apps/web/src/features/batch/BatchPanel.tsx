import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes } from '../../lib/format';
import { appliedSteps, editorStore, useEditor } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { downloadName, encodeImage, saveBlob } from '../download/encode';
import { usePlacement } from '../run/use-placement';
import { openFile } from '../upload/open-files';
import { batchStore, useBatch, type BatchStatus } from './batch-store';
import { runBatch } from './run-batch';

const STATUS: Record<BatchStatus, string> = {
  waiting: 'Waiting',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
};

/** Files dropped together: open any of them, or apply the open picture's steps to all. */
export function BatchPanel() {
  const items = useBatch((s) => s.items);
  const openId = useBatch((s) => s.openId);
  // A fresh array each call: compare element-wise or the store subscription loops forever.
  const steps = useEditor(useShallow(appliedSteps));
  const { decision } = usePlacement();
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);
  if (items.length < 2) return null;
  const start = async () => {
    if (!decision || decision.error) return;
    controller.current = new AbortController();
    setRunning(true);
    await runBatch(decision, steps, controller.current.signal);
    setRunning(false);
  };
  return (
    <div className="space-y-3">
      <ul aria-label="Batch queue" className="space-y-1">
        {items.map((item) => (
          <li
            key={item.id}
            className={`flex items-center gap-2 rounded-lg px-2 py-1.5 text-xs ${item.id === openId ? 'bg-accent-500/10' : ''}`}
          >
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
          </li>
        ))}
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
            disabled={
              !steps.length ||
              !decision ||
              !!decision.error ||
              editorStore.getState().run.kind === 'running'
            }
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
