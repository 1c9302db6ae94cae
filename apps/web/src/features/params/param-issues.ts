import { OPS, type OpId } from '@loupe/shared';
import type { ParamValues } from './schema-fields';

/**
 * What the op's schema says is wrong with each parameter, by key (the first issue of each).
 * The controls only produce valid values; an invalid one arrives from outside them, e.g. a
 * preset saved under an older schema. Without this the panel would show a clamped slider or an
 * empty select and leave the reason to the placement note.
 *
 * @example paramIssues('blur', { radius: 500 }) // { radius: 'Too big: expected number to be <=50' }
 */
export function paramIssues(op: OpId, params: ParamValues): Record<string, string> {
  const parsed = OPS[op].params.safeParse(params);
  if (parsed.success) return {};
  const issues: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string') issues[key] ??= issue.message;
  }
  return issues;
}
