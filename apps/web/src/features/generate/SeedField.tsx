import { MAX_SEED, randomSeed } from '@loupe/shared';
import { useId } from 'react';
import { editorStore, useUi } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { DiceIcon, LockIcon, UnlockIcon } from '../../ui/icons';
import { useGenerate } from './generate-store';

/** Drops `seed` from the panel's params: the next Run draws one. */
function clearSeed() {
  const { seed: _seed, ...rest } = editorStore.getState().params;
  editorStore.ui.getState().setParams(rest);
}

/**
 * The seed, with a die (a new seed, locked in) and a lock: locked, every Run uses this seed;
 * unlocked, each Run draws a new one and shows it here.
 */
export function SeedField({ description }: { description?: string | undefined }) {
  const id = useId();
  const seed = useUi((s) => s.params.seed);
  const setParam = useUi((s) => s.setParam);
  const locked = useGenerate((s) => s.seedLocked);
  const setLocked = useGenerate((s) => s.setSeedLocked);
  return (
    <div>
      <label
        htmlFor={id}
        className="mb-1.5 block text-[13px] font-medium text-zinc-700 dark:text-zinc-300"
      >
        Seed
      </label>
      <div className="flex items-center gap-1">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_SEED}
          step={1}
          value={typeof seed === 'number' ? seed : ''}
          placeholder="Random"
          {...(description ? { title: description } : {})}
          onChange={(e) => {
            const text = e.currentTarget.value;
            if (text === '') return clearSeed();
            const n = Math.trunc(Number(text));
            if (Number.isFinite(n)) setParam('seed', Math.min(MAX_SEED, Math.max(0, n)));
          }}
          className="h-9 min-w-0 flex-1 rounded-lg bg-white px-2.5 font-mono text-sm tabular-nums ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
        />
        <IconButton
          label="New seed"
          onClick={() => {
            setParam('seed', randomSeed());
            setLocked(true);
          }}
        >
          <DiceIcon />
        </IconButton>
        <IconButton label="Lock seed" pressed={locked} onClick={() => setLocked(!locked)}>
          {locked ? <LockIcon /> : <UnlockIcon />}
        </IconButton>
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        {locked
          ? 'Locked: every Run uses this seed, so the same settings make the same picture.'
          : 'Each Run draws a new seed and shows it here; lock it to keep it.'}
      </p>
    </div>
  );
}
