import type { DiffusionModelInfo } from '@loupe/shared';
import { useId } from 'react';
import { useDocument, useUi } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { usePlacement } from '../run/use-placement';
import { useRun } from '../run/use-run';
import { TokenCount } from './TokenCount';

/**
 * An instruction edit in one line, as Step1X-Edit offers it: type "add a red hat", press Enter
 * (or Apply), then compare before and after in the stage's split or side-by-side view.
 */
export function InstructLine({
  folder,
  filesUrl,
}: {
  folder: DiffusionModelInfo | undefined;
  filesUrl: string;
}) {
  const id = useId();
  const text = useUi((s) => String(s.params.prompt ?? ''));
  const setParam = useUi((s) => s.setParam);
  const idle = useUi((s) => s.run.kind === 'idle');
  const hasImage = useDocument((s) => s.source !== null);
  const { decision, step, context } = usePlacement();
  const start = useRun();
  const can =
    idle && hasImage && text.trim() !== '' && !!step && !!context && !!decision && !decision.error;
  const apply = () => {
    if (can) void start(context, step);
  };
  return (
    <div>
      <label
        htmlFor={id}
        className="mb-1.5 block text-[13px] font-medium text-zinc-700 dark:text-zinc-300"
      >
        Instruction
      </label>
      <div className="flex gap-1.5">
        <input
          id={id}
          value={text}
          placeholder="add a red hat"
          aria-describedby={`${id}-tokens`}
          onChange={(e) => setParam('prompt', e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              apply();
            }
          }}
          className="h-9 min-w-0 flex-1 rounded-lg bg-white px-2.5 text-sm ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
        />
        <Button variant="primary" disabled={!can} onClick={apply}>
          Apply
        </Button>
      </div>
      <TokenCount id={`${id}-tokens`} text={text} info={folder} filesUrl={filesUrl} />
      {hasImage ? null : (
        <p className="mt-1 text-xs text-zinc-500">Open a picture to edit it with an instruction.</p>
      )}
    </div>
  );
}
