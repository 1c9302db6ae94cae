import {
  MODEL_HASH_LENGTH,
  OPS,
  parseSdParameters,
  readPngText,
  type DiffusionModelInfo,
  type OpId,
  type ParsedSdParameters,
} from '@loupe/shared';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { defaultParams, type ParamValues } from '../../stores/ui-store';

/** A dropped picture's generation parameters, offered for the prompt panel. */
export interface ParametersOffer {
  /** The file's name, as the offer says it. */
  readonly name: string;
  readonly parsed: ParsedSdParameters;
}

export const offerStore = createStore<{ offer: ParametersOffer | null }>()(() => ({
  offer: null,
}));

export function useParametersOffer(): ParametersOffer | null {
  return useStore(offerStore, (s) => s.offer);
}

/**
 * The `parameters` text a PNG carries (A1111's, ComfyUI importers', Loupe's own downloads),
 * read; null for any other file, or a PNG without one. Never throws: the picture opens anyway.
 */
export async function parametersIn(file: Blob): Promise<ParsedSdParameters | null> {
  if (file.type !== 'image/png') return null;
  try {
    const { texts } = await readPngText(new Uint8Array(await file.arrayBuffer()));
    const text = texts.find((t) => t.keyword === 'parameters')?.text;
    return text ? parseSdParameters(text) : null;
  } catch {
    return null;
  }
}

/** Offers `file`'s parameters when it carries some; says nothing otherwise. */
export async function offerParametersOf(file: Blob, name: string): Promise<void> {
  const parsed = await parametersIn(file);
  if (parsed) offerStore.setState({ offer: { name, parsed } });
}

/** What restoring an offer does: the op and parameters to show, and what could not be taken. */
export interface Restored {
  readonly op: OpId;
  readonly params: ParamValues;
  /** In words, e.g. `Model sd15 is not configured here; tiny is kept`. */
  readonly notes: string[];
}

/** The configured folder the text names, by its id, else by A1111's short hash of its sha256. */
function matchFolder(
  model: ParsedSdParameters['model'],
  folders: readonly DiffusionModelInfo[],
): DiffusionModelInfo | undefined {
  return (
    folders.find((f) => f.id === model.name) ??
    folders.find(
      (f) => model.hash !== undefined && f.sha256.slice(0, MODEL_HASH_LENGTH) === model.hash,
    )
  );
}

/**
 * The panel's op and parameters after restoring `parsed`: the current op when it takes a prompt,
 * else text to image; each restored value the op has a field for, over its defaults; the model
 * the text names when it is configured here, else the current one (and a note says so).
 *
 * @example restoreInto(parsed, 'upscale', { model: 'slim' }, folders).op // 'generate'
 */
export function restoreInto(
  parsed: ParsedSdParameters,
  op: OpId,
  current: ParamValues,
  folders: readonly DiffusionModelInfo[],
): Restored {
  const target: OpId = OPS[op].inputs.prompt !== undefined ? op : 'generate';
  const shape = OPS[target].params.shape as Record<string, unknown>;
  const params: ParamValues = { ...defaultParams(target) };
  if (target === op && current.model !== undefined) params.model = current.model;
  for (const [key, value] of Object.entries(parsed.params))
    if (key in shape && value !== undefined) params[key] = value as ParamValues[string];
  const notes = parsed.unmapped.map((u) => `${u.key} ${u.value}: ${u.reason}`);
  const folder = matchFolder(parsed.model, folders);
  if (folder) params.model = folder.id;
  else if (parsed.model.name !== undefined || parsed.model.hash !== undefined)
    notes.unshift(
      `Model ${parsed.model.name ?? parsed.model.hash} is not configured here${params.model ? `; ${String(params.model)} is kept` : ''}`,
    );
  return { op: target, params, notes };
}
