/**
 * Image files Loupe opens, recognised by their first bytes: a file's name, extension and MIME
 * type are only claims. SVG, TIFF, HEIC, PDF… are refused (libvips would happily open them,
 * and we do not want to expose that surface).
 */

const ascii = (head: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...head.subarray(from, to));

interface ImageFormatSpec {
  /** The name in the user's words. */
  readonly label: string;
  /** The registered MIME type, and the file extensions (lower case, with the dot) it is saved under. */
  readonly mime: `image/${string}`;
  readonly extensions: readonly [`.${string}`, ...`.${string}`[]];
  /** Whether the server decodes it; the browser decodes every format here. */
  readonly server: boolean;
  /** Whether these first bytes (at least SNIFF_BYTES of the file, when it has them) are this format. */
  matches(head: Uint8Array): boolean;
}

/** How many leading bytes sniffing reads. */
export const SNIFF_BYTES = 12;

/** In sniffing order. */
export const IMAGE_FORMATS = {
  png: {
    label: 'PNG',
    mime: 'image/png',
    extensions: ['.png'],
    server: true,
    matches: (h) => h[0] === 0x89 && ascii(h, 1, 4) === 'PNG' && h[4] === 0x0d && h[5] === 0x0a,
  },
  jpeg: {
    label: 'JPEG',
    mime: 'image/jpeg',
    extensions: ['.jpg', '.jpeg'],
    server: true,
    matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  },
  webp: {
    label: 'WebP',
    mime: 'image/webp',
    extensions: ['.webp'],
    server: true,
    matches: (h) => ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 12) === 'WEBP',
  },
  gif: {
    label: 'GIF',
    mime: 'image/gif',
    extensions: ['.gif'],
    server: true,
    matches: (h) => ascii(h, 0, 6) === 'GIF87a' || ascii(h, 0, 6) === 'GIF89a',
  },
  avif: {
    label: 'AVIF',
    mime: 'image/avif',
    extensions: ['.avif'],
    server: true,
    // ISO-BMFF: a box of type 'ftyp' whose major brand is AVIF (HEIC shares the container and is refused).
    matches: (h) => ascii(h, 4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(h, 8, 12)),
  },
  bmp: {
    label: 'BMP',
    mime: 'image/bmp',
    extensions: ['.bmp'],
    // sharp's prebuilt libvips has no BMP loader; browsers decode it natively.
    server: false,
    matches: (h) => ascii(h, 0, 2) === 'BM',
  },
} as const satisfies Record<string, ImageFormatSpec>;

export type ImageFormat = keyof typeof IMAGE_FORMATS;
export const IMAGE_FORMAT_IDS = Object.keys(IMAGE_FORMATS) as [ImageFormat, ...ImageFormat[]];

/** The formats the server decodes, in sniffing order. */
export type ServerImageFormat = {
  [F in ImageFormat]: (typeof IMAGE_FORMATS)[F]['server'] extends true ? F : never;
}[ImageFormat];
export const isServerImageFormat = (f: ImageFormat): f is ServerImageFormat =>
  IMAGE_FORMATS[f].server;
export const SERVER_IMAGE_FORMATS = IMAGE_FORMAT_IDS.filter(isServerImageFormat);

/**
 * The format of a file from its first bytes, or null for anything else.
 *
 * @example sniffImageFormat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13)) // 'png'
 */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  if (head.length < SNIFF_BYTES) return null;
  return IMAGE_FORMAT_IDS.find((f) => IMAGE_FORMATS[f].matches(head)) ?? null;
}

/** "PNG, JPEG, WebP, AVIF, GIF or BMP", for messages that say what is accepted. */
export function formatList(formats: readonly ImageFormat[]): string {
  const labels = formats.map((f) => IMAGE_FORMATS[f].label);
  return labels.length < 2
    ? labels.join('')
    : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}
