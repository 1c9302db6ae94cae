import { PLACEMENT_MODES, type PlacementMode } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';

const LABELS: Record<PlacementMode, string> = {
  auto: 'Auto',
  browser: 'Browser',
  server: 'Server',
};

/** Auto lets the placement policy choose; Browser and Server force it. */
export function RoutingPicker() {
  const mode = useEditor((s) => s.mode);
  const setMode = useEditor((s) => s.setMode);
  return (
    <div
      role="radiogroup"
      aria-label="Run on"
      className="grid grid-cols-3 rounded-lg bg-zinc-200/70 p-0.5 dark:bg-zinc-800"
    >
      {PLACEMENT_MODES.map((m) => (
        <label
          key={m}
          className={`relative cursor-pointer rounded-md py-1.5 text-center text-xs font-medium transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${
            mode === m
              ? 'bg-white text-zinc-900 shadow-sm dark:bg-zinc-600 dark:text-white'
              : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
          }`}
        >
          <input
            type="radio"
            name="run-on"
            value={m}
            checked={mode === m}
            onChange={() => setMode(m)}
            className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
          />
          {LABELS[m]}
        </label>
      ))}
    </div>
  );
}
