import type { RgbaImage } from '@loupe/shared';
import { packMask, unpackMask } from '../../lib/mask-pack';
import { packPicture, unpackPicture } from '../../lib/picture-pack';
import { encodePng } from '../../lib/png';
import type { DocumentState, HistoryEntry, SourceImage } from '../../stores/document-store';
import type {
  DocumentId,
  ParkedDocument,
  ParkedEntry,
  ParkedVariation,
} from '../../stores/documents-store';
import { bytesOverBudget, pictureBytes } from '../../stores/history-budget';
import { shownVariation, type Variation } from '../../stores/variations';

/** A document as the editor holds it: its original, history and which step is shown. */
export type OpenDocument = Pick<DocumentState, 'history' | 'cursor'> & { source: SourceImage };

/**
 * The shown document packed for keeping out of sight: its file (or, for a picture that came
 * without one, a lossless PNG of it) and each kept picture packed exactly. Pictures already
 * packed once are not packed again.
 */
export async function parkDocument(id: DocumentId, doc: OpenDocument): Promise<ParkedDocument> {
  const { source } = doc;
  const history = await Promise.all(doc.history.map(parkEntry));
  return {
    id,
    name: source.name,
    format: source.format,
    bytes: source.bytes,
    file: source.file ?? (await encodePng(source.image)),
    sourceSize: { width: source.image.width, height: source.image.height },
    history,
    cursor: doc.cursor,
  };
}

/** One entry packed: its picture, the mask it ran with and its other variations. */
async function parkEntry(e: HistoryEntry): Promise<ParkedEntry> {
  const picture = e.image ? await packPicture(e.image) : null;
  const shown = shownVariation(e);
  const variations = e.variations?.length
    ? await Promise.all(
        e.variations.map(async (v, k): Promise<ParkedVariation> => ({
          seed: v.seed,
          picture: k === shown ? picture : v.image ? await packPicture(v.image) : null,
        })),
      )
    : undefined;
  return {
    id: e.id,
    step: e.step,
    metadata: e.metadata,
    size: { width: e.size.width, height: e.size.height },
    picture,
    ...(e.gone ? { gone: e.gone } : {}),
    ...(e.mask ? { mask: await packMask(e.mask) } : {}),
    ...(variations ? { variations } : {}),
  };
}

export interface UnparkOptions {
  /** Decodes the file the document was opened from (the browser's decoder, as when it was opened). */
  decode(file: Blob): Promise<RgbaImage>;
  /** The history budget: older pictures beyond it stay packed-away and are recomputed if selected. */
  budgetBytes: number;
}

/**
 * A parked document back in the editor's form. Only the pictures the history budget keeps are
 * unpacked (the shown one always); a picture that does not unpack is treated as not kept, so it
 * is recomputed rather than losing the document.
 *
 * @throws LoupeError('IMAGE_CORRUPT') when the original itself cannot be decoded.
 */
export async function unparkDocument(
  doc: ParkedDocument,
  { decode, budgetBytes }: UnparkOptions,
): Promise<OpenDocument> {
  const image = await decode(doc.file);
  // As the editor's history budget counts them: a step's other variations go before its picture.
  const pictures = doc.history.flatMap((e, entry) => {
    const shown = shownVariation(parkedShape(e));
    const others = (e.variations ?? []).flatMap((v, variation) =>
      variation !== shown && v.picture ? [{ entry, variation, bytes: pictureBytes(e.size) }] : [],
    );
    return [...others, { entry, variation: null, bytes: e.picture ? pictureBytes(e.size) : 0 }];
  });
  const keep = pictures.findIndex((p) => p.entry === doc.cursor && p.variation === null);
  const dropped = bytesOverBudget(
    pictures.map((p) => p.bytes),
    keep,
    budgetBytes,
  ).map((at) => pictures[at]!);
  const drop = (entry: number, variation: number | null) =>
    dropped.some((d) => d.entry === entry && d.variation === variation);
  const unpack = (blob: Blob | null) => (blob ? unpackPicture(blob).catch(() => null) : null);
  const history = await Promise.all(
    doc.history.map(async (e, i): Promise<HistoryEntry> => {
      const mask = e.mask ? await unpackMask(e.mask).catch(() => undefined) : undefined;
      const base = {
        id: e.id,
        step: e.step,
        metadata: e.metadata,
        size: e.size,
        ...(mask ? { mask } : {}),
      };
      const picture = drop(i, null) ? null : await unpack(e.picture);
      const shown = shownVariation(parkedShape(e));
      const variations = e.variations
        ? await Promise.all(
            e.variations.map(async (v, k): Promise<Variation> => ({
              seed: v.seed,
              image: k === shown ? picture : drop(i, k) ? null : await unpack(v.picture),
            })),
          )
        : undefined;
      const withVariations = { ...base, ...(variations ? { variations } : {}) };
      if (picture) return { ...withVariations, image: picture };
      return { ...withVariations, image: null, gone: e.gone ?? 'budget' };
    }),
  );
  return {
    source: { image, name: doc.name, bytes: doc.bytes, format: doc.format, file: doc.file },
    history,
    cursor: Math.max(-1, Math.min(doc.cursor, history.length - 1)),
  };
}

/** What `shownVariation` reads of a parked entry: its step and its variations' seeds. */
function parkedShape(e: ParkedEntry): { step: ParkedEntry['step']; variations?: Variation[] } {
  return {
    step: e.step,
    ...(e.variations
      ? { variations: e.variations.map((v) => ({ seed: v.seed, image: null })) }
      : {}),
  };
}
