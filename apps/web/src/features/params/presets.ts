import type { OpId } from '@loupe/shared';
import type { ParamValues } from './schema-fields';

const KEY = 'loupe.presets.v1';

export interface Preset {
  name: string;
  op: OpId;
  params: ParamValues;
}

/** Presets live in localStorage: per browser, no account, survives reloads. */
export function loadPresets(storage: Pick<Storage, 'getItem'> = localStorage): Preset[] {
  try {
    const raw = JSON.parse(storage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? (raw as Preset[]).filter((p) => p && typeof p.name === 'string' && typeof p.op === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Saves or replaces (same op and name) a preset and returns the new list. */
export function savePreset(
  preset: Preset,
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): Preset[] {
  const rest = loadPresets(storage).filter((p) => !(p.op === preset.op && p.name === preset.name));
  const next = [...rest, preset];
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}

export function deletePreset(
  op: OpId,
  name: string,
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): Preset[] {
  const next = loadPresets(storage).filter((p) => !(p.op === op && p.name === name));
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}
