import { EditMetadataSchema, parsePipeline, type Size, type Step } from '@loupe/shared';
import { z } from 'zod';
import type { WorkspaceSnapshot } from '../documents/workspace';
import type { ParkedDocument, ParkedEntry } from '../../stores/documents-store';

/**
 * Bumped whenever the record below changes shape. A record of another version is not
 * migrated: it is ignored with a notice and overwritten by the next save.
 */
export const SESSION_VERSION = 1;

/** A batch file as a saved session keeps it (its document, when it has one, is with the others). */
export interface SavedBatchItem {
  /** The id of the file's document; a file that could not be read has none open. */
  id: string;
  name: string;
  file: Blob;
  size?: Size;
  status: 'waiting' | 'failed';
  error?: string;
  /** Where the last Apply put the recipe in this file's history, and which steps it put there. */
  recipeBase?: number;
  recipeApplied?: Step[];
}

export interface SavedBatch {
  items: SavedBatchItem[];
  recipe: Step[];
  recipeFrom: string | null;
}

/** Everything a session keeps: the open documents and the batch, blobs and all. */
export interface SavedSession {
  workspace: WorkspaceSnapshot;
  batch: SavedBatch | null;
}

// What is stored: the record below, with every blob (files, packed pictures) under its own key
// in a second object store, so a save writes only the blobs that are new.

export const fileKey = (id: string) => `file:${id}`;
export const pictureKey = (entryId: number) => `picture:${entryId}`;
export const maskKey = (entryId: number) => `mask:${entryId}`;
export const variationKey = (entryId: number, k: number) => `variation:${entryId}:${k}`;

const SizeSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

/** A step is parsed by its op's own schema, as a request to the server is. */
const StepSchema = z.unknown().transform((raw, ctx): Step => {
  const parsed = parsePipeline([raw]);
  if (parsed.ok) return parsed.value[0]!;
  ctx.addIssue({ code: 'custom', message: parsed.issues.map((i) => i.message).join('; ') });
  return z.NEVER;
});

const StoredEntrySchema = z.object({
  id: z.number().int().positive(),
  step: StepSchema,
  metadata: EditMetadataSchema,
  size: SizeSchema,
  /** The key of its packed picture, or null when the picture was not kept. */
  picture: z.string().nullable(),
  gone: z.enum(['intermediate', 'budget']).optional(),
  /** The key of the mask the step ran with. */
  mask: z.string().optional(),
  /** A count > 1 step's pictures in seed order, each by key (null: not kept). */
  variations: z
    .array(z.object({ seed: z.number().int().nonnegative(), picture: z.string().nullable() }))
    .optional(),
});

const StoredDocumentSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  format: z.string(),
  bytes: z.number().int().nonnegative(),
  sourceSize: SizeSchema,
  history: z.array(StoredEntrySchema),
  cursor: z.number().int().min(-1),
});

const StoredBatchItemSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  size: SizeSchema.optional(),
  status: z.enum(['waiting', 'failed']),
  error: z.string().optional(),
  recipeBase: z.number().int().min(-1).optional(),
  recipeApplied: z.array(StepSchema).optional(),
});

export const SessionRecordSchema = z.object({
  version: z.literal(SESSION_VERSION),
  savedAt: z.number(),
  activeId: z.string().nullable(),
  documents: z.array(StoredDocumentSchema),
  batch: z
    .object({
      items: z.array(StoredBatchItemSchema),
      recipe: z.array(StepSchema),
      recipeFrom: z.string().nullable(),
    })
    .nullable(),
});
export type SessionRecord = z.input<typeof SessionRecordSchema>;

/** The record for `session` and the blobs it refers to; pictures not in `keep` are left out. */
export function toRecord(
  session: SavedSession,
  keep: ReadonlySet<number>,
  savedAt: number,
): { record: SessionRecord; blobs: Map<string, Blob> } {
  const blobs = new Map<string, Blob>();
  const documents = session.workspace.documents.map((doc) => {
    blobs.set(fileKey(doc.id), doc.file);
    return {
      id: doc.id,
      name: doc.name,
      format: doc.format,
      bytes: doc.bytes,
      sourceSize: doc.sourceSize,
      cursor: doc.cursor,
      history: doc.history.map((e) => {
        const kept = e.picture !== null && keep.has(e.id);
        if (kept) blobs.set(pictureKey(e.id), e.picture!);
        const gone = kept ? undefined : (e.gone ?? (e.picture ? 'budget' : 'intermediate'));
        if (e.mask) blobs.set(maskKey(e.id), e.mask);
        // The other variations go with their step's picture, within the same budget.
        const variations = e.variations?.map((v, k) => {
          if (!kept || !v.picture) return { seed: v.seed, picture: null };
          if (v.picture === e.picture) return { seed: v.seed, picture: pictureKey(e.id) };
          blobs.set(variationKey(e.id, k), v.picture);
          return { seed: v.seed, picture: variationKey(e.id, k) };
        });
        return {
          id: e.id,
          step: e.step,
          metadata: e.metadata,
          size: e.size,
          picture: kept ? pictureKey(e.id) : null,
          ...(gone ? { gone } : {}),
          ...(e.mask ? { mask: maskKey(e.id) } : {}),
          ...(variations ? { variations } : {}),
        };
      }),
    };
  });
  const batch = session.batch && {
    recipe: session.batch.recipe,
    recipeFrom: session.batch.recipeFrom,
    items: session.batch.items.map(({ file, ...item }) => {
      // The same key as its document's file: stored once.
      if (!blobs.has(fileKey(item.id))) blobs.set(fileKey(item.id), file);
      return item;
    }),
  };
  return {
    record: {
      version: SESSION_VERSION,
      savedAt,
      activeId: session.workspace.activeId,
      documents,
      batch,
    },
    blobs,
  };
}

export type RecordProblem = 'other-version' | 'damaged';

export type RestoredSession =
  | {
      ok: true;
      session: SavedSession;
      savedAt: number;
      /** Documents left out: their file was missing. */ lost: number;
    }
  | { ok: false; problem: RecordProblem };

/** Blob keys a stored record refers to, read before the blobs are fetched. */
export function recordKeys(raw: unknown): string[] {
  const parsed = SessionRecordSchema.safeParse(raw);
  if (!parsed.success) return [];
  const { documents, batch } = parsed.data;
  const keys = [
    ...documents.flatMap((d) => [
      fileKey(d.id),
      ...d.history.flatMap((e) => [
        ...(e.picture ? [e.picture] : []),
        ...(e.mask ? [e.mask] : []),
        ...(e.variations ?? []).flatMap((v) => (v.picture ? [v.picture] : [])),
      ]),
    ]),
    ...(batch?.items.map((i) => fileKey(i.id)) ?? []),
  ];
  return [...new Set(keys)];
}

/**
 * A stored record back as a session, parsed with the schemas above. Another version or a
 * record that does not parse is refused (never thrown); a missing picture is treated as not
 * kept (it is recomputed when selected), a document whose file is missing is left out.
 */
export function fromRecord(raw: unknown, blobs: ReadonlyMap<string, Blob>): RestoredSession {
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== SESSION_VERSION) return { ok: false, problem: 'other-version' };
  const parsed = SessionRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: 'damaged' };
  const { activeId, documents, batch, savedAt } = parsed.data;
  const restored: ParkedDocument[] = [];
  for (const doc of documents) {
    const file = blobs.get(fileKey(doc.id));
    if (!file) continue;
    const history = doc.history.map((e): ParkedEntry => {
      const picture = e.picture ? (blobs.get(e.picture) ?? null) : null;
      const gone = picture ? undefined : (e.gone ?? 'budget');
      const mask = e.mask ? blobs.get(e.mask) : undefined;
      const variations = e.variations?.map((v) => ({
        seed: v.seed,
        picture: v.picture ? (blobs.get(v.picture) ?? null) : null,
      }));
      return {
        id: e.id,
        step: e.step,
        metadata: e.metadata,
        size: e.size,
        picture,
        ...(gone ? { gone } : {}),
        ...(mask ? { mask } : {}),
        ...(variations ? { variations } : {}),
      };
    });
    restored.push({
      ...doc,
      file,
      history,
      cursor: Math.min(doc.cursor, history.length - 1),
    });
  }
  const open = new Set(restored.map((d) => d.id));
  const items =
    batch?.items.flatMap((item): SavedBatchItem[] => {
      const file = blobs.get(fileKey(item.id));
      return file ? [{ ...item, file }] : [];
    }) ?? [];
  return {
    ok: true,
    savedAt,
    lost: documents.length - restored.length,
    session: {
      workspace: {
        activeId: activeId && open.has(activeId) ? activeId : (restored[0]?.id ?? null),
        documents: restored,
      },
      batch:
        batch && items.length
          ? { items, recipe: batch.recipe, recipeFrom: batch.recipeFrom }
          : null,
    },
  };
}
