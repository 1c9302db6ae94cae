import type { RgbaImage } from '@loupe/shared';
import { useEffect, useState } from 'react';
import { thumbnailUrl } from '../../lib/image-canvas';

export function Thumbnail({ image, className = '' }: { image: RgbaImage; className?: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void thumbnailUrl(image).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [image]);
  return (
    <span
      className={`checkerboard block size-10 shrink-0 overflow-hidden rounded-md ring-1 ring-black/10 dark:ring-white/10 ${className}`}
    >
      {url ? <img src={url} alt="" className="size-full object-contain" /> : null}
    </span>
  );
}
