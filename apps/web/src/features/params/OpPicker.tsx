import { OPS, type OpCategory } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';
import { PICKABLE_OPS } from './pickable-ops';

const CATEGORY_LABELS: Record<OpCategory, string> = {
  ai: 'AI',
  adjust: 'Adjust',
  filter: 'Filter',
  geometry: 'Geometry',
  generative: 'Generative',
  retouch: 'Retouch',
};

/** Every op in the catalog as a radio card; an op added to packages/shared appears here on its own. */
export function OpPicker() {
  const op = useEditor((s) => s.op);
  const selectOp = useEditor((s) => s.selectOp);
  const running = useEditor((s) => s.run.kind === 'running');
  return (
    <div
      role="radiogroup"
      aria-label="Operation"
      className="grid grid-cols-2 gap-1.5 sm:grid-cols-3 lg:grid-cols-2 xl:grid-cols-3"
    >
      {PICKABLE_OPS.map((id) => {
        const spec = OPS[id];
        const checked = id === op;
        return (
          <label
            key={id}
            title={spec.description}
            className={`relative flex cursor-pointer flex-col gap-0.5 rounded-lg px-2.5 py-2 text-left ring-1 transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${
              checked
                ? 'bg-accent-500/10 ring-accent-500 dark:bg-accent-500/15'
                : 'bg-white ring-zinc-200 hover:ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-800 dark:hover:ring-zinc-700'
            }`}
          >
            <input
              type="radio"
              name="operation"
              aria-label={spec.title}
              value={id}
              checked={checked}
              disabled={running}
              onChange={() => selectOp(id)}
              className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
            />
            <span className="text-[13px] leading-tight font-medium">{spec.title}</span>
            <span
              className={`text-[10px] font-semibold tracking-wide uppercase ${spec.category === 'ai' ? 'text-accent-500' : 'text-zinc-400'}`}
            >
              {CATEGORY_LABELS[spec.category]}
            </span>
          </label>
        );
      })}
    </div>
  );
}
