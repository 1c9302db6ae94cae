import { usePreview } from '../../stores/preview-store';

/** The `Live preview` switch, for ops that have one (`OpPreview` in the shared catalog). */
export function LivePreviewSwitch() {
  const live = usePreview((s) => s.live);
  const setLive = usePreview((s) => s.setLive);
  return (
    <label className="flex items-center justify-between gap-3">
      <span className="text-[13px] font-medium text-zinc-700 dark:text-zinc-300">
        Live preview
        <span className="block text-xs font-normal text-zinc-500">
          {live
            ? 'Follows the sliders; letting go applies it.'
            : 'Changes apply when you press Run.'}
        </span>
      </span>
      <input
        type="checkbox"
        role="switch"
        checked={live}
        onChange={(e) => setLive(e.currentTarget.checked)}
        className="h-5 w-9 shrink-0 cursor-pointer appearance-none rounded-full bg-zinc-300 transition before:block before:size-4 before:translate-x-0.5 before:rounded-full before:bg-white before:shadow before:transition checked:bg-accent-500 checked:before:translate-x-4 dark:bg-zinc-700"
      />
    </label>
  );
}
