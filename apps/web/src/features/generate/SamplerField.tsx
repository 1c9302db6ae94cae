import { SCHEDULER_IDS, SCHEDULERS, isSchedulerId, type DiffusionModelInfo } from '@loupe/shared';
import { useId } from 'react';
import { editorStore, useUi } from '../../stores/editor-store';

const MODEL_DEFAULT = '';

/**
 * The sampler, or the one the model's scheduler config names (the schema's omitted value,
 * which a plain select of its options could not choose).
 */
export function SamplerField({
  folder,
  description,
}: {
  folder: DiffusionModelInfo | undefined;
  description?: string | undefined;
}) {
  const id = useId();
  const scheduler = useUi((s) => s.params.scheduler);
  const setParam = useUi((s) => s.setParam);
  const value = typeof scheduler === 'string' ? scheduler : MODEL_DEFAULT;
  return (
    <div>
      <label
        htmlFor={id}
        className="mb-1.5 block text-[13px] font-medium text-zinc-700 dark:text-zinc-300"
      >
        Sampler
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const picked = e.currentTarget.value;
          if (isSchedulerId(picked)) return setParam('scheduler', picked);
          // Back to the model's own: Karras follows its config too.
          const { scheduler: _s, karras: _k, ...rest } = editorStore.getState().params;
          editorStore.ui.getState().setParams(rest);
        }}
        className="h-9 w-full rounded-lg border-0 bg-white px-2.5 text-[13px] ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
      >
        <option value={MODEL_DEFAULT}>
          Model’s own{folder ? ` (${folder.scheduler.className})` : ''}
        </option>
        {SCHEDULER_IDS.map((s) => (
          <option key={s} value={s}>
            {SCHEDULERS[s].title}
          </option>
        ))}
      </select>
      {description ? <p className="mt-1 text-xs text-zinc-500">{description}</p> : null}
    </div>
  );
}
