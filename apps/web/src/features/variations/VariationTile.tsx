import type { RgbaImage } from '@loupe/shared';
import { useEffect, useState } from 'react';
import { thumbnailUrl } from '../../lib/image-canvas';

/** Thumbnails sharp enough for a three-column grid on a 2× screen. */
const TILE_SIDE = 192;

/**
 * One picture of a count > 1 run: its thumbnail and seed; pressing it shows that picture.
 * A picture the history budget let go says so and cannot be picked.
 */
export function VariationTile({
  image,
  seed,
  number,
  shown,
  disabled,
  onPick,
}: {
  image: RgbaImage | null;
  seed: number;
  number: number;
  shown: boolean;
  disabled: boolean;
  onPick(): void;
}) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!image) return setUrl(null);
    let live = true;
    void thumbnailUrl(image, TILE_SIDE).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [image]);
  return (
    <button
      type="button"
      aria-label={`Variation ${number}, seed ${seed}`}
      aria-pressed={shown}
      disabled={disabled || !image}
      onClick={onPick}
      className={`group flex flex-col gap-1 rounded-lg p-1 text-left transition disabled:cursor-default ${shown ? 'bg-accent-500/10 ring-2 ring-accent-500' : 'ring-1 ring-zinc-200 hover:bg-zinc-200/60 dark:ring-zinc-800 dark:hover:bg-zinc-800/60'}`}
    >
      <span className="checkerboard block aspect-square w-full overflow-hidden rounded-md">
        {url ? (
          <img src={url} alt="" className="size-full object-contain" />
        ) : image ? null : (
          <span className="flex size-full items-center justify-center p-1 text-center text-[10px] text-zinc-500">
            Not kept (memory)
          </span>
        )}
      </span>
      <span className="truncate font-mono text-[10px] text-zinc-500 tabular-nums">seed {seed}</span>
    </button>
  );
}
