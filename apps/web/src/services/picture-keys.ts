import type { RgbaImage } from '@loupe/shared';

const keys = new WeakMap<RgbaImage, string>();
let next = 0;
/** Different per page load, so a key never names another load's picture. */
const page = Math.random().toString(36).slice(2, 10);

/**
 * A name for one picture of this page (the original, a history entry's result), the same every
 * time it is asked for. The worker keys what it keeps of a picture (a matte) by it, since what
 * crosses to the worker is a copy. Pictures are never changed in place, so a key means one set of
 * pixels.
 *
 * @example pictureKey(doc.source.image) === pictureKey(doc.source.image) // true; another picture, another key
 */
export function pictureKey(image: RgbaImage): string {
  let key = keys.get(image);
  if (!key) keys.set(image, (key = `${page}-${++next}`));
  return key;
}
