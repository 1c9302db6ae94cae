import type { PictureGone } from '../../stores/editor-store';

const WHY: Record<PictureGone, string> = {
  intermediate: 'Picture not kept: this run returned only its last picture',
  budget: 'Picture not kept: dropped to stay within the history memory budget',
};

/** Stands in for a thumbnail: the step is there, its picture is recomputed when selected. */
export function PictureNotKept({ gone }: { gone: PictureGone }) {
  return (
    <span
      title={WHY[gone]}
      className="flex size-10 shrink-0 items-center justify-center rounded-md border border-dashed border-zinc-300 text-[9px] leading-tight text-zinc-400 dark:border-zinc-700"
    >
      not kept
    </span>
  );
}
