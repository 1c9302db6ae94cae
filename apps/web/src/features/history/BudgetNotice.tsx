import { formatBytes } from '../../lib/format';
import { useDocument } from '../../stores/editor-store';

/** Says when the history budget let older pictures go, and that they come back on selection. */
export function BudgetNotice() {
  const dropped = useDocument((s) => s.history.filter((e) => e.gone === 'budget').length);
  const budget = useDocument((s) => s.budgetBytes);
  if (!dropped) return null;
  return (
    <p
      role="note"
      aria-label="History memory"
      className="rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-700 dark:text-amber-300"
    >
      {dropped === 1 ? '1 older picture was' : `${dropped} older pictures were`} not kept, to stay
      within {formatBytes(budget)} of history. Select a step to recompute its picture.
    </p>
  );
}
