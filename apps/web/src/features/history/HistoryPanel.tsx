import { OPS } from '@loupe/shared';
import { formatDuration, formatSize } from '../../lib/format';
import { useEditor } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { PencilIcon, RedoIcon, UndoIcon } from '../../ui/icons';
import { GenerationActions } from '../generate/GenerationActions';
import { SaveStatus } from '../session/SaveStatus';
import { BudgetNotice } from './BudgetNotice';
import { PictureNotKept } from './PictureNotKept';
import { stepSummary } from './step-summary';
import { Thumbnail } from './Thumbnail';
import { useRestoreShown } from './use-restore-shown';
import { useRestore } from '../run/use-run';
import { useRunContext } from '../run/use-run-context';

/**
 * Every applied step with its picture; click to go back to it, the pencil re-runs it with new
 * parameters. A step whose picture was not kept says so and recomputes it when selected.
 */
export function HistoryPanel() {
  useRestoreShown();
  const source = useEditor((s) => s.source);
  const history = useEditor((s) => s.history);
  const cursor = useEditor((s) => s.cursor);
  const editingStep = useEditor((s) => s.editingStep);
  const goTo = useEditor((s) => s.goTo);
  const editStep = useEditor((s) => s.editStep);
  const running = useEditor((s) => s.run.kind === 'running');
  const restore = useRestore();
  const { context } = useRunContext();
  // Selecting the shown step again retries a recompute that was cancelled or failed.
  const select = (i: number) => {
    if (i === cursor && i >= 0 && !history[i]?.image && context) void restore(context, i);
    else goTo(i);
  };
  if (!source) return <p className="text-xs text-zinc-400">Open an image to start a history.</p>;
  const row = (active: boolean, future: boolean) =>
    `group flex w-full items-center gap-2.5 rounded-lg p-1.5 text-left transition ${active ? 'bg-accent-500/10 ring-1 ring-accent-500/60' : 'hover:bg-zinc-200/60 dark:hover:bg-zinc-800/60'} ${future ? 'opacity-45' : ''}`;
  return (
    <div className="space-y-2">
      <BudgetNotice />
      <ol aria-label="History" className="space-y-1">
        <li>
          <button
            type="button"
            aria-current={cursor === -1 ? 'step' : undefined}
            disabled={running}
            onClick={() => goTo(-1)}
            className={row(cursor === -1, false)}
          >
            <Thumbnail image={source.image} />
            <span className="min-w-0">
              <span className="block text-[13px] font-medium">Original</span>
              <span className="block truncate text-[11px] text-zinc-500">
                {formatSize(source.image)}
              </span>
            </span>
          </button>
        </li>
        {history.map((entry, i) => (
          <li key={entry.id} className="relative">
            <button
              type="button"
              aria-current={cursor === i ? 'step' : undefined}
              aria-label={`Step ${i + 1}: ${OPS[entry.step.op].title}`}
              disabled={running}
              onClick={() => select(i)}
              className={`${row(cursor === i, i > cursor)} pr-10 ${editingStep === i ? 'ring-2 ring-amber-500' : ''}`}
            >
              {entry.image ? (
                <Thumbnail image={entry.image} />
              ) : (
                <PictureNotKept gone={entry.gone ?? 'intermediate'} />
              )}
              <span className="min-w-0">
                <span className="block text-[13px] font-medium">
                  {i + 1}. {OPS[entry.step.op].title}
                </span>
                <span className="block truncate text-[11px] text-zinc-500">
                  {stepSummary(entry.step)}
                </span>
                <span className="block truncate text-[11px] text-zinc-400">
                  {entry.metadata.placement === 'server' ? 'Server' : 'Browser'} ·{' '}
                  {entry.metadata.ep.toUpperCase()} ·{' '}
                  {formatDuration(entry.metadata.timings.totalMs)} · {formatSize(entry.size)}
                </span>
                {entry.image ? null : (
                  <span className="block truncate text-[11px] text-amber-600 dark:text-amber-400">
                    Picture not kept{cursor === i ? '' : ': select to recompute'}
                  </span>
                )}
              </span>
            </button>
            <IconButton
              label={`Edit step ${i + 1}`}
              className="absolute top-1/2 right-1.5 -translate-y-1/2"
              disabled={running}
              onClick={() => editStep(i)}
            >
              <PencilIcon width={15} height={15} />
            </IconButton>
            {OPS[entry.step.op].inputs.prompt !== undefined ? (
              <GenerationActions entry={entry} index={i} disabled={running} />
            ) : null}
          </li>
        ))}
      </ol>
      <SaveStatus />
    </div>
  );
}

export function UndoRedo() {
  const undo = useEditor((s) => s.undo);
  const redo = useEditor((s) => s.redo);
  const canUndo = useEditor((s) => s.cursor >= 0 && s.run.kind === 'idle');
  const canRedo = useEditor((s) => s.cursor < s.history.length - 1 && s.run.kind === 'idle');
  return (
    <div className="flex items-center">
      <IconButton label="Undo" aria-keyshortcuts="Control+Z" disabled={!canUndo} onClick={undo}>
        <UndoIcon />
      </IconButton>
      <IconButton
        label="Redo"
        aria-keyshortcuts="Control+Shift+Z"
        disabled={!canRedo}
        onClick={redo}
      >
        <RedoIcon />
      </IconButton>
    </div>
  );
}
