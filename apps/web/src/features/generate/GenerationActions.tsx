import type { HistoryEntry } from '../../stores/document-store';
import { editorStore } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { CopyIcon, DiceIcon, PlayIcon } from '../../ui/icons';
import { useRunContext } from '../run/use-run-context';
import { useRerun } from '../run/use-run';
import { parametersText } from './parameters-text';

async function copyParameters(text: string) {
  const { notify } = editorStore.getState();
  try {
    await navigator.clipboard.writeText(text);
    notify({ tone: 'success', title: 'Parameters copied', detail: 'Paste them into any SD tool.' });
  } catch (e) {
    notify({
      tone: 'error',
      title: 'The parameters could not be copied',
      detail: (e as Error).message,
    });
  }
}

/**
 * A generative history step's own actions: run it again as it ran (same seed, same picture),
 * again with a new seed, and copy its parameters as the SD tools' text.
 */
export function GenerationActions({
  entry,
  index,
  disabled,
}: {
  entry: HistoryEntry;
  index: number;
  disabled: boolean;
}) {
  const { context } = useRunContext();
  const rerun = useRerun();
  const text = parametersText(entry.metadata);
  const step = index + 1;
  return (
    <div className="flex items-center gap-0.5 pl-12">
      <IconButton
        label={`Re-run step ${step}`}
        disabled={disabled || !context}
        onClick={() => context && void rerun(context, index)}
      >
        <PlayIcon width={14} height={14} />
      </IconButton>
      <IconButton
        label={`Re-run step ${step} with a new seed`}
        disabled={disabled || !context}
        onClick={() => context && void rerun(context, index, { newSeed: true })}
      >
        <DiceIcon width={15} height={15} />
      </IconButton>
      {text ? (
        <IconButton
          label={`Copy parameters of step ${step}`}
          onClick={() => void copyParameters(text)}
        >
          <CopyIcon width={15} height={15} />
        </IconButton>
      ) : null}
    </div>
  );
}
