import { describe, expect, it } from 'vitest';
import { defaultValues, fieldFromJsonSchema, isFieldVisible, paramFields } from './schema-fields';

describe('JSON Schema → form fields', () => {
  it('maps a number with UI meta to a slider with range, step and unit', () => {
    const [exposure] = paramFields('adjust');
    expect(exposure).toEqual({
      key: 'exposure',
      label: 'Exposure',
      kind: 'slider',
      min: -3,
      max: 3,
      step: 0.05,
      unit: 'EV',
      default: 0,
    });
  });

  it('maps string enums to selects with the schema’s option labels', () => {
    const model = paramFields('upscale').find((f) => f.key === 'model');
    expect(model).toMatchObject({
      kind: 'select',
      default: 'slim',
      options: [
        { value: 'slim', label: 'Slim (fast)' },
        { value: 'medium', label: 'Medium' },
        { value: 'thick', label: 'Thick (best detail)' },
      ],
    });
  });

  it('keeps numeric literal unions numeric (upscale scale 2|3|4|8)', () => {
    const scale = paramFields('upscale').find((f) => f.key === 'scale');
    expect(scale?.kind).toBe('select');
    if (scale?.kind !== 'select') return;
    expect(scale.options.map((o) => o.value)).toEqual([2, 3, 4, 8]);
    expect(scale.options[2]).toEqual({ value: 4, label: '4×' });
    expect(scale.default).toBe(2);
  });

  it('maps colours and conditional visibility', () => {
    const fields = paramFields('remove-background');
    const color = fields.find((f) => f.key === 'color')!;
    expect(color).toMatchObject({
      kind: 'color',
      default: '#ffffff',
      visibleWhen: { output: ['color'] },
    });
    const values = defaultValues(fields);
    expect(values).toEqual({ model: 'quint8', output: 'cutout', color: '#ffffff', blurRadius: 12 });
    expect(isFieldVisible(color, values)).toBe(false);
    expect(isFieldVisible(color, { ...values, output: 'color' })).toBe(true);
    expect(
      fields.filter((f) => isFieldVisible(f, { ...values, output: 'blur' })).map((f) => f.key),
    ).toEqual(['model', 'output', 'blurRadius']);
  });

  it('maps booleans to toggles and picks a step when the schema gives none', () => {
    expect(fieldFromJsonSchema('fast', { type: 'boolean', default: true, title: 'Fast' })).toEqual({
      key: 'fast',
      label: 'Fast',
      kind: 'toggle',
      default: true,
    });
    expect(fieldFromJsonSchema('r', { type: 'number', minimum: 0, maximum: 10 })).toMatchObject({
      kind: 'slider',
      step: 0.1,
      default: 0,
      label: 'r',
    });
    expect(fieldFromJsonSchema('n', { type: 'integer', minimum: 0, maximum: 1000 })).toMatchObject({
      step: 1,
    });
  });

  it('an op without parameters has no fields', () => {
    expect(paramFields('invert')).toEqual([]);
  });
});
