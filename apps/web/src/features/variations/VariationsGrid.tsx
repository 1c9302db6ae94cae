import { useEditor } from '../../stores/editor-store';
import { shownVariation } from '../../stores/variations';
import { VariationTile } from './VariationTile';

/** Whether the shown step made several pictures: the sidebar shows their grid then. */
export const useHasVariations = () =>
  useEditor((s) => (s.history[s.cursor]?.variations?.length ?? 0) > 1);

/**
 * The pictures of the shown step when it ran with count > 1, each with its seed. Picking one
 * makes it the canvas's picture and the step's (with its seed, so a re-run makes it again);
 * the others stay here to pick later, while the history budget keeps them.
 */
export function VariationsGrid() {
  const cursor = useEditor((s) => s.cursor);
  const entry = useEditor((s) => s.history[s.cursor]);
  const running = useEditor((s) => s.run.kind === 'running');
  const pick = useEditor((s) => s.pickVariation);
  const later = useEditor((s) => s.history.length - 1 - s.cursor);
  const variations = entry?.variations;
  if (!entry || !variations || variations.length < 2) return null;
  const shown = shownVariation(entry);
  return (
    <div className="space-y-2">
      <ol aria-label="Variations" className="grid grid-cols-3 gap-2">
        {variations.map((v, k) => (
          <li key={v.seed}>
            <VariationTile
              image={v.image}
              seed={v.seed}
              number={k + 1}
              shown={k === shown}
              disabled={running}
              onPick={() => k !== shown && pick(cursor, k)}
            />
          </li>
        ))}
      </ol>
      <p className="text-xs text-zinc-500">
        Pick one to continue from it; the others stay here while the history keeps them.
        {later > 0
          ? ` Picking another replaces the ${later} step${later === 1 ? '' : 's'} after this one.`
          : ''}
      </p>
    </div>
  );
}
