import { OPS, type Step } from '@loupe/shared';
import { paramFields } from '../params/schema-fields';

/**
 * The parameters that differ from their defaults, in the schema's words: "Slim (fast), 4×"
 * or "Exposure 0.5 EV". History rows show it under the op's title.
 */
export function stepSummary(step: Step): string {
  const params = step.params as Record<string, unknown>;
  const parts = paramFields(step.op)
    .filter((f) => f.kind === 'select' || params[f.key] !== f.default)
    .map((f) => {
      const v = params[f.key];
      if (f.kind === 'select') return f.options.find((o) => o.value === v)?.label ?? String(v);
      if (f.kind === 'slider') return `${f.label} ${String(v)}${f.unit ? ` ${f.unit}` : ''}`;
      return `${f.label} ${String(v)}`;
    });
  return parts.join(', ') || OPS[step.op].description;
}
