/**
 * A row of mutually exclusive choices: real radio inputs (keyboard and screen readers
 * work as for any radio group) styled as a segmented control.
 *
 * @example <Segmented label="Run on" name="run-on" value={mode} onChange={setMode}
 *            options={[{ value: 'auto', label: 'Auto' }, { value: 'server', label: 'Server' }]} />
 */
export function Segmented<T>({
  label,
  name,
  options,
  value,
  onChange,
  dense = false,
}: {
  label: string;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  /** Smaller text for long labels in narrow panels. */
  dense?: boolean;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="grid rounded-lg bg-zinc-200/70 p-0.5 dark:bg-zinc-800"
      style={{ gridTemplateColumns: `repeat(${options.length}, minmax(0, 1fr))` }}
    >
      {options.map((o) => (
        <label
          key={o.label}
          className={`relative cursor-pointer rounded-md py-1.5 text-center font-medium transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${dense ? 'px-1 text-[11px]' : 'text-xs'} ${
            value === o.value
              ? 'bg-white text-zinc-900 shadow-sm dark:bg-zinc-600 dark:text-white'
              : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
          }`}
        >
          <input
            type="radio"
            name={name}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}
