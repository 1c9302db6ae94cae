import { useId } from 'react';
import type { ParamField as Field, ParamValue } from './schema-fields';
import { useCommitOnRelease } from './use-commit-on-release';

const label = 'text-[13px] font-medium text-zinc-700 dark:text-zinc-300';

/** Trims float noise from steps like 0.05 so "0.15000000000000002" never shows. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(decimals));
}

/**
 * One generated control. Its accessible name is the parameter's title from the schema; an
 * `issue` (the schema's complaint about the value held) is shown under it and is the control's
 * accessible description. `onChange` follows every step of a drag; `onCommit` comes once the
 * user lets go (see `useCommitOnRelease`), and after a discrete change (a double-click reset).
 */
export function ParamField({
  field,
  value,
  issue,
  unavailable,
  onChange,
  onCommit,
}: {
  field: Field;
  value: ParamValue;
  issue?: string | undefined;
  /** Select options that cannot run on this install, each with why (shown disabled). */
  unavailable?: ReadonlyMap<string, string>;
  onChange(v: ParamValue): void;
  onCommit?(): void;
}) {
  const id = useId();
  const committing = useCommitOnRelease<HTMLInputElement | HTMLSelectElement>(onCommit);
  const issueId = `${id}-issue`;
  const invalid = issue ? { 'aria-invalid': true, 'aria-describedby': issueId } : {};
  const shownIssue = issue ? (
    <p id={issueId} className="mt-1 text-xs text-red-600 dark:text-red-400">
      {issue}
    </p>
  ) : null;
  const hint = field.description ? (
    <p className="mt-1 text-xs text-zinc-500">{field.description}</p>
  ) : null;
  switch (field.kind) {
    case 'slider': {
      const n = Number(value);
      return (
        <div>
          <div className="mb-1.5 flex items-baseline justify-between gap-2">
            <label htmlFor={id} className={label}>
              {field.label}
            </label>
            <span className="font-mono text-xs text-zinc-500 tabular-nums" aria-hidden="true">
              {roundToStep(n, field.step)}
              {field.unit ? ` ${field.unit}` : ''}
            </span>
          </div>
          <input
            ref={committing}
            id={id}
            type="range"
            className="range"
            min={field.min}
            max={field.max}
            step={field.step}
            value={n}
            aria-valuetext={`${roundToStep(n, field.step)}${field.unit ? ` ${field.unit}` : ''}`}
            onChange={(e) => onChange(roundToStep(Number(e.currentTarget.value), field.step))}
            onDoubleClick={() => {
              onChange(field.default);
              onCommit?.();
            }}
            {...invalid}
          />
          {shownIssue}
          {hint}
        </div>
      );
    }
    case 'select':
      return (
        <div>
          <label htmlFor={id} className={`${label} mb-1.5 block`}>
            {field.label}
          </label>
          <select
            ref={committing}
            id={id}
            value={String(value)}
            // Options keep their schema type: the upscale scale is the number 4, not "4".
            onChange={(e) => onChange(field.options[e.currentTarget.selectedIndex]!.value)}
            className="h-9 w-full rounded-lg border-0 bg-white px-2.5 text-[13px] ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
            {...invalid}
          >
            {field.options.map((o) => (
              <option
                key={String(o.value)}
                value={String(o.value)}
                disabled={unavailable?.has(String(o.value))}
              >
                {o.label}
                {unavailable?.has(String(o.value)) ? ' (not installed)' : ''}
              </option>
            ))}
          </select>
          {shownIssue}
          {unavailable?.size ? (
            <p className="mt-1 text-xs text-zinc-500">
              {unavailable.size} not installed on this server:{' '}
              {[...new Set(unavailable.values())][0]!.replace(/^Not installed: /, '')}
            </p>
          ) : null}
          {hint}
        </div>
      );
    case 'toggle':
      return (
        <div>
          <label className="flex items-center justify-between gap-3">
            <span className={label}>{field.label}</span>
            <input
              ref={committing}
              type="checkbox"
              role="switch"
              checked={Boolean(value)}
              onChange={(e) => onChange(e.currentTarget.checked)}
              className="h-5 w-9 cursor-pointer appearance-none rounded-full bg-zinc-300 transition before:block before:size-4 before:translate-x-0.5 before:rounded-full before:bg-white before:shadow before:transition checked:bg-accent-500 checked:before:translate-x-4 dark:bg-zinc-700"
              {...invalid}
            />
          </label>
          {shownIssue}
        </div>
      );
    case 'color':
      return (
        <div>
          <div className="flex items-center justify-between gap-3">
            <label htmlFor={id} className={label}>
              {field.label}
            </label>
            <div className="flex items-center gap-2">
              <span className="font-mono text-xs text-zinc-500 uppercase">{String(value)}</span>
              <input
                ref={committing}
                id={id}
                type="color"
                value={String(value)}
                onChange={(e) => onChange(e.currentTarget.value)}
                className="h-8 w-10 cursor-pointer rounded-md border-0 bg-transparent p-0"
                {...invalid}
              />
            </div>
          </div>
          {shownIssue}
        </div>
      );
    case 'text':
      return (
        <div>
          <label htmlFor={id} className={`${label} mb-1.5 block`}>
            {field.label}
          </label>
          <input
            ref={committing}
            id={id}
            value={String(value)}
            onChange={(e) => onChange(e.currentTarget.value)}
            className="h-9 w-full rounded-lg bg-white px-2.5 text-sm ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
            {...invalid}
          />
          {shownIssue}
        </div>
      );
  }
}
