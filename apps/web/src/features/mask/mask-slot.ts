import { OPS, type Mask, type OpId, type Size } from '@loupe/shared';
import type { DocumentView } from '../../stores/document-store';

/** Which picture the brush paints on, and the mask to start from there. */
export interface MaskSlot {
  /** Names the picture and the step after it: a new key is a fresh start for the brush. */
  readonly key: string;
  /** The picture's size; null when there is none. */
  readonly size: Size | null;
  /** The mask the step applied to this picture ran with: an undo hands it back to the brush. */
  readonly restore?: Mask;
}

const sourceIds = new WeakMap<object, number>();
let nextSourceId = 1;
function sourceId(source: object): number {
  let id = sourceIds.get(source);
  if (id === undefined) sourceIds.set(source, (id = nextSourceId++));
  return id;
}

/**
 * The brush paints on the picture the next step applies to: the shown one, or the one before
 * the step being re-edited. Undo back past a masked step lands on the picture it was painted
 * on, with that step's mask, so undo and redo restore the picture and its mask together.
 *
 * @example maskSlot({ source, history: [erase], cursor: -1, editingStep: null })
 *   // { key: 's1:source>7', size: source's, restore: erase.mask }
 */
export function maskSlot(doc: DocumentView): MaskSlot {
  if (!doc.source) return { key: 'none', size: null };
  const at = doc.editingStep === null ? doc.cursor : doc.editingStep - 1;
  const input = at >= 0 ? doc.history[at] : undefined;
  const next = doc.history[at + 1];
  const size = at >= 0 ? (input?.size ?? null) : doc.source.image;
  const key = `s${sourceId(doc.source)}:${input ? input.id : 'source'}>${next?.id ?? ''}`;
  const restore = next && OPS[next.step.op].inputs.mask ? next.mask : undefined;
  return { key, size, ...(restore ? { restore } : {}) };
}

/** Whether `op` is painted with the brush. */
export const takesMask = (op: OpId): boolean => OPS[op].inputs.mask !== undefined;
