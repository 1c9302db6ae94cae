import { installHint, OPS, type ModelId, type OpId } from '@loupe/shared';
import type { ParamField, ParamValues } from './schema-fields';

/**
 * The options of a select that would need a model this install did not build (a MAXIM subset,
 * a --permissive-only build), each with how to add it: the panel lists them disabled, with the
 * reason, instead of letting a Run fail. Only the op's `modelParam` picks models this way.
 *
 * @example unavailableOptions('restore', { task: 'deblur' }, taskField, new Set(['maxim-deblurring']))
 *   // Map { 'denoise' => 'MAXIM denoising is not installed: run `pnpm models` (…)', … }
 */
export function unavailableOptions(
  op: OpId,
  params: ParamValues,
  field: ParamField,
  installed: ReadonlySet<string> | undefined,
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const spec = OPS[op];
  if (!installed || field.kind !== 'select' || spec.modelParam !== field.key) return out;
  for (const option of field.options) {
    const parsed = spec.params.safeParse({ ...params, [field.key]: option.value });
    if (!parsed.success) continue;
    const models = (spec.models as (p: unknown) => readonly ModelId[])(parsed.data);
    const missing = models.find((id) => !installed.has(id));
    if (missing) out.set(String(option.value), `Not installed: ${installHint(missing)}`);
  }
  return out;
}
