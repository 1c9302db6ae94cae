import { OP_IDS, OPS, type OpId } from '@loupe/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editorStore } from '../../stores/editor-store';
import { OpPicker } from './OpPicker';
import { usesPromptPanel } from '../generate/PromptPanel';
import { PICKABLE_OPS } from './pickable-ops';
import { ParamPanel } from './ParamPanel';
import { savePreset } from './presets';
import {
  defaultValues,
  paramFields,
  type ParamField,
  type ParamValue,
  type ParamValues,
} from './schema-fields';

// Generated from the catalog: every op, every field its schema yields. A new op or parameter in
// packages/shared is covered here without a line of test code.

/** The parameters the editor holds: the one thing read from the store. */
const held = (): ParamValues => editorStore.getState().params;

type Control = HTMLInputElement | HTMLSelectElement;

/** How each kind of field is found by its accessible name (a colour input has no ARIA role). */
const ROLES = {
  slider: 'slider',
  select: 'combobox',
  toggle: 'switch',
  text: 'textbox',
  color: null,
} as const satisfies Record<ParamField['kind'], string | null>;

function control(field: ParamField): Control {
  const role = ROLES[field.kind];
  return role ? screen.getByRole(role, { name: field.label }) : screen.getByLabelText(field.label);
}

/** The issue the panel shows for a control: its accessible description while it is invalid. */
function shownIssue(el: Control): string | null {
  if (el.getAttribute('aria-invalid') !== 'true') return null;
  return document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
}

function renderPanel(installed?: ReadonlySet<string>): void {
  render(
    <>
      <OpPicker />
      <ParamPanel installed={installed} />
    </>,
  );
}

/** Picks the op as a person does; picking another first makes its parameters start from defaults. */
function chooseOp(op: OpId): void {
  const group = screen.getByRole('radiogroup', { name: 'Operation' });
  const radio = (id: OpId) => within(group).getByRole('radio', { name: OPS[id].title });
  fireEvent.click(radio(OP_IDS.find((id) => id !== op)!));
  fireEvent.click(radio(op));
}

/** Sets a value through the control, the way its input events deliver it. */
function setThrough(field: ParamField, value: ParamValue): void {
  const el = control(field);
  if (field.kind !== 'toggle')
    return void fireEvent.change(el, { target: { value: String(value) } });
  // A click always yields a boolean: twice at most reaches the one asked for.
  fireEvent.click(el);
  if ((el as HTMLInputElement).checked !== value) fireEvent.click(el);
}

/** The values that show a field hidden behind another's (`x-visible-when`). */
function revealing(field: ParamField): ParamValues {
  return Object.fromEntries(
    Object.entries(field.visibleWhen ?? {}).map(([key, allowed]) => [key, allowed[0]!]),
  );
}

function reveal(op: OpId, field: ParamField): void {
  for (const [key, value] of Object.entries(revealing(field)))
    setThrough(
      paramFields(op).find((f) => f.key === key)!,
      value,
    );
}

const decimals = (step: number) => Math.max(0, -Math.floor(Math.log10(step)));

/** A value the schema accepts that is not the default. */
function validValue(field: ParamField): ParamValue {
  switch (field.kind) {
    case 'slider': {
      const up = field.default + field.step <= field.max;
      return Number(
        (field.default + (up ? field.step : -field.step)).toFixed(decimals(field.step)),
      );
    }
    case 'select':
      return field.options.find((o) => o.value !== field.default)!.value;
    case 'toggle':
      return !field.default;
    case 'color':
      return field.default === '#1e90ff' ? '#ff7f50' : '#1e90ff';
    case 'text':
      return `${field.default}x`;
  }
}

/** A value no control produces and the schema refuses: what a stale preset can hold. */
function invalidValue(field: ParamField): ParamValue {
  switch (field.kind) {
    case 'slider':
      return field.max + field.step;
    case 'select': {
      const numbers = field.options.map((o) => o.value).filter((v) => typeof v === 'number');
      return numbers.length ? Math.max(...numbers) + 1 : 'not-an-option';
    }
    case 'toggle':
      return 'yes';
    case 'color':
      return 'red';
    case 'text':
      return 42;
  }
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

// Ops that take a prompt have the prompt panel instead (features/generate).
const PICKABLE = PICKABLE_OPS.filter((op) => !usesPromptPanel(op));

describe.each(PICKABLE)('the parameter panel of %s', (op) => {
  const fields = paramFields(op);
  const schema = OPS[op].params;

  if (!fields.length) {
    it('says the op has no settings and offers no reset', () => {
      renderPanel();
      chooseOp(op);
      expect(screen.getByText('No settings: this operation is one click.')).toBeTruthy();
      expect((screen.getByRole('button', { name: /Reset/ }) as HTMLButtonElement).disabled).toBe(
        true,
      );
      expect(held()).toEqual({});
    });
    return;
  }

  it('starts every field at its schema default, which the schema accepts', () => {
    renderPanel();
    chooseOp(op);
    expect(held()).toEqual(defaultValues(fields));
    expect(schema.safeParse(held()).success).toBe(true);
  });

  describe.each(fields.map((f) => [f.label, f] as const))('%s', (_label, field) => {
    it('takes a valid value from its control, shows no issue, and resets to the default', () => {
      renderPanel();
      chooseOp(op);
      reveal(op, field);
      const value = validValue(field);
      expect(value).not.toEqual(held()[field.key]);
      setThrough(field, value);
      expect(held()[field.key]).toBe(value);
      expect(schema.safeParse(held()).success).toBe(true);
      const el = control(field);
      if (field.kind === 'toggle') expect((el as HTMLInputElement).checked).toBe(value);
      else expect(el.value).toBe(String(value));
      expect(shownIssue(el)).toBeNull();

      fireEvent.click(screen.getByRole('button', { name: /Reset/ }));
      expect(held()).toEqual(defaultValues(fields));
    });

    it('shows the schema’s issue for an invalid value held (a stale preset) until the control sets a valid one', () => {
      const bad = invalidValue(field);
      const params = { ...defaultValues(fields), ...revealing(field), [field.key]: bad };
      const refused = schema.safeParse(params);
      expect(refused.success).toBe(false);
      const expected = refused.error!.issues.find((i) => i.path[0] === field.key)!.message;
      savePreset({ name: 'stale', op, params });

      renderPanel();
      chooseOp(op);
      fireEvent.change(screen.getByRole('combobox', { name: 'Preset' }), {
        target: { value: 'stale' },
      });
      expect(held()[field.key]).toBe(bad);
      expect(shownIssue(control(field))).toBe(expected);
      expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(1);

      const good = validValue(field);
      setThrough(field, good);
      expect(held()[field.key]).toBe(good);
      expect(shownIssue(control(field))).toBeNull();
      expect(schema.safeParse(held()).success).toBe(true);
    });

    if (field.kind === 'slider')
      it('clamps a value typed past either end of its range to that end', () => {
        renderPanel();
        chooseOp(op);
        reveal(op, field);
        setThrough(field, field.max + 10 * field.step);
        expect(held()[field.key]).toBe(field.max);
        setThrough(field, field.min - 10 * field.step);
        expect(held()[field.key]).toBe(field.min);
        expect(schema.safeParse(held()).success).toBe(true);
        expect(shownIssue(control(field))).toBeNull();
      });
  });
});

describe('a choice whose model this install did not build', () => {
  it('is listed disabled, and the panel says how to add it', () => {
    // A `pnpm models --maxim=deblurring,denoising` install.
    renderPanel(new Set(['maxim-deblurring', 'maxim-denoising']));
    chooseOp('restore');
    const task = screen.getByRole('combobox', { name: 'Task' });
    const options = within(task).getAllByRole('option') as HTMLOptionElement[];
    expect(options.filter((o) => !o.disabled).map((o) => o.value)).toEqual(['deblur', 'denoise']);
    expect(options.find((o) => o.value === 'derain')!.textContent).toBe(
      'Remove rain streaks (not installed)',
    );
    expect(screen.getByText(/^5 not installed on this server: run `pnpm models`/)).toBeTruthy();
  });

  it('is not marked while the manifest is unknown or lists it', () => {
    renderPanel(
      new Set([
        'maxim-deraining',
        'maxim-deblurring',
        'maxim-denoising',
        'maxim-dehazing-indoor',
        'maxim-dehazing-outdoor',
        'maxim-enhancement',
        'maxim-retouching',
      ]),
    );
    chooseOp('restore');
    const task = screen.getByRole('combobox', { name: 'Task' });
    expect(
      (within(task).getAllByRole('option') as HTMLOptionElement[]).some((o) => o.disabled),
    ).toBe(false);
    expect(screen.queryByText(/not installed/)).toBeNull();
  });
});
