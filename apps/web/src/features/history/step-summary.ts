import { OPS, type Step } from '@loupe/shared';
import { isFieldVisible, paramFields, type ParamValues } from '../params/schema-fields';

/**
 * The parameters that differ from their defaults, in the schema's words: "Slim (fast), 4×"
 * or "Exposure 0.5 EV". History rows show it under the op's title. Only parameters the step's
 * choices use are named, by the rule that shows them in the parameter panel (`x-visible-when`):
 * a blurred background has no background colour, whatever value the colour field still holds.
 */
export function stepSummary(step: Step): string {
  const params = step.params as ParamValues;
  const parts = paramFields(step.op)
    .filter((f) => isFieldVisible(f, params))
    .filter((f) => f.kind === 'select' || params[f.key] !== f.default)
    .map((f) => {
      const v = params[f.key];
      if (f.kind === 'select') return f.options.find((o) => o.value === v)?.label ?? String(v);
      if (f.kind === 'slider') return `${f.label} ${String(v)}${f.unit ? ` ${f.unit}` : ''}`;
      return `${f.label} ${String(v)}`;
    });
  return parts.join(', ') || OPS[step.op].description;
}
