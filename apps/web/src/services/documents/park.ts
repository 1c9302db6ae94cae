import type { RgbaImage } from '@loupe/shared';
import { packPicture, unpackPicture } from '../../lib/picture-pack';
import { encodePng } from '../../lib/png';
import type { DocumentState, HistoryEntry, SourceImage } from '../../stores/document-store';
import type { DocumentId, ParkedDocument } from '../../stores/documents-store';
import { bytesOverBudget, pictureBytes } from '../../stores/history-budget';

/** A document as the editor holds it: its original, history and which step is shown. */
export type OpenDocument = Pick<DocumentState, 'history' | 'cursor'> & { source: SourceImage };

/**
 * The shown document packed for keeping out of sight: its file (or, for a picture that came
 * without one, a lossless PNG of it) and each kept picture packed exactly. Pictures already
 * packed once are not packed again.
 */
export async function parkDocument(id: DocumentId, doc: OpenDocument): Promise<ParkedDocument> {
  const { source } = doc;
  const history = await Promise.all(
    doc.history.map(async (e) => ({
      id: e.id,
      step: e.step,
      metadata: e.metadata,
      size: { width: e.size.width, height: e.size.height },
      picture: e.image ? await packPicture(e.image) : null,
      ...(e.gone ? { gone: e.gone } : {}),
    })),
  );
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
  const drop = new Set(
    bytesOverBudget(
      doc.history.map((e) => (e.picture ? pictureBytes(e.size) : 0)),
      doc.cursor,
      budgetBytes,
    ),
  );
  const history = await Promise.all(
    doc.history.map(async (e, i): Promise<HistoryEntry> => {
      const base = { id: e.id, step: e.step, metadata: e.metadata, size: e.size };
      const picture =
        e.picture && !drop.has(i) ? await unpackPicture(e.picture).catch(() => null) : null;
      if (picture) return { ...base, image: picture };
      return { ...base, image: null, gone: e.gone ?? 'budget' };
    }),
  );
  return {
    source: { image, name: doc.name, bytes: doc.bytes, format: doc.format, file: doc.file },
    history,
    cursor: Math.max(-1, Math.min(doc.cursor, history.length - 1)),
  };
}
