import { OPS, type OpId, type ParamMeta } from '@loupe/shared';
import { z } from 'zod';

/**
 * The parameter panel is generated, never hand-written: each op's zod schema goes through
 * `z.toJSONSchema(…, { io: 'input' })` and the UI hints it carries (`title`, `x-unit`,
 * `x-step`, `x-control`, `x-options`, `x-visible-when`) become form fields. A new op or
 * parameter in packages/shared shows up here without a line of UI code.
 */
export type ParamValue = string | number | boolean;
export type ParamValues = Record<string, ParamValue>;

export interface ParamOption {
  value: string | number;
  label: string;
}

interface FieldBase {
  key: string;
  label: string;
  description?: string;
  /** Only shown while another parameter has one of these values. */
  visibleWhen?: Record<string, readonly ParamValue[]>;
}

export type ParamField =
  | (FieldBase & {
      kind: 'slider';
      min: number;
      max: number;
      step: number;
      unit?: string;
      default: number;
    })
  | (FieldBase & {
      kind: 'select';
      options: ParamOption[];
      unit?: string;
      default: string | number;
    })
  | (FieldBase & { kind: 'toggle'; default: boolean })
  | (FieldBase & { kind: 'color'; default: string })
  | (FieldBase & { kind: 'text'; default: string });

type JsonProp = Partial<ParamMeta> & {
  type?: string;
  enum?: (string | number)[];
  anyOf?: { const?: string | number }[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
};

function enumValues(prop: JsonProp): (string | number)[] | undefined {
  if (prop.enum) return prop.enum;
  const consts = prop.anyOf?.map((a) => a.const);
  return consts?.every((c) => c !== undefined) ? (consts as (string | number)[]) : undefined;
}

/** A sensible step when the schema gives none: 1/100 of the range, rounded to a power of ten. */
function defaultStep(min: number, max: number): number {
  return 10 ** Math.floor(Math.log10((max - min) / 100));
}

/**
 * Maps one JSON Schema property to a form field.
 *
 * @example fieldFromJsonSchema('radius', { type: 'number', minimum: 0.5, maximum: 50, default: 4,
 *   title: 'Radius', 'x-unit': 'px', 'x-step': 0.5 })
 *   // { kind: 'slider', key: 'radius', label: 'Radius', min: 0.5, max: 50, step: 0.5, unit: 'px', default: 4 }
 */
export function fieldFromJsonSchema(key: string, prop: JsonProp): ParamField {
  const base: FieldBase = {
    key,
    label: prop.title ?? key,
    ...(prop.description ? { description: prop.description } : {}),
    ...(prop['x-visible-when'] ? { visibleWhen: prop['x-visible-when'] } : {}),
  };
  const unit = prop['x-unit'] ? { unit: prop['x-unit'] } : {};
  const values = enumValues(prop);
  if (values || prop['x-control'] === 'select') {
    const opts = values ?? [];
    return {
      ...base,
      ...unit,
      kind: 'select',
      options: opts.map((v) => ({ value: v, label: prop['x-options']?.[String(v)] ?? String(v) })),
      default: (prop.default as string | number | undefined) ?? opts[0] ?? '',
    };
  }
  if (prop['x-control'] === 'color')
    return { ...base, kind: 'color', default: String(prop.default ?? '#000000') };
  if (prop.type === 'boolean' || prop['x-control'] === 'toggle') {
    return { ...base, kind: 'toggle', default: Boolean(prop.default) };
  }
  if (prop.type === 'number' || prop.type === 'integer') {
    const min = prop.minimum ?? 0;
    const max = prop.maximum ?? 100;
    const step = prop['x-step'] ?? (prop.type === 'integer' ? 1 : defaultStep(min, max));
    return {
      ...base,
      ...unit,
      kind: 'slider',
      min,
      max,
      step,
      default: Number(prop.default ?? min),
    };
  }
  return { ...base, kind: 'text', default: String(prop.default ?? '') };
}

/** Every field of an op, in schema order. Cached: the schemas never change at run time. */
const cache = new Map<OpId, ParamField[]>();
export function paramFields(op: OpId): ParamField[] {
  let fields = cache.get(op);
  if (!fields) {
    const schema = z.toJSONSchema(OPS[op].params, { io: 'input' }) as {
      properties?: Record<string, JsonProp>;
    };
    fields = Object.entries(schema.properties ?? {}).map(([k, p]) => fieldFromJsonSchema(k, p));
    cache.set(op, fields);
  }
  return fields;
}

export function defaultValues(fields: readonly ParamField[]): ParamValues {
  return Object.fromEntries(fields.map((f) => [f.key, f.default]));
}

export function isFieldVisible(field: ParamField, values: ParamValues): boolean {
  if (!field.visibleWhen) return true;
  return Object.entries(field.visibleWhen).every(([k, allowed]) =>
    allowed.includes(values[k] as ParamValue),
  );
}
