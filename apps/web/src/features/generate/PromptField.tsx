import type { DiffusionModelInfo } from '@loupe/shared';
import { useId } from 'react';
import { TokenCount } from './TokenCount';

const label = 'text-[13px] font-medium text-zinc-700 dark:text-zinc-300';

/** A multi-line prompt with its token count; label and hint are the schema's. */
export function PromptField({
  label: title,
  description,
  value,
  placeholder,
  info,
  filesUrl,
  onChange,
}: {
  label: string;
  description?: string | undefined;
  value: string;
  placeholder?: string;
  info: DiffusionModelInfo | undefined;
  filesUrl: string;
  onChange(value: string): void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={`${label} mb-1.5 block`}>
        {title}
      </label>
      <textarea
        id={id}
        value={value}
        rows={3}
        placeholder={placeholder}
        aria-describedby={`${id}-tokens`}
        {...(description ? { title: description } : {})}
        onChange={(e) => onChange(e.currentTarget.value)}
        className="block w-full resize-y rounded-lg bg-white px-2.5 py-2 text-sm ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
      />
      <TokenCount id={`${id}-tokens`} text={value} info={info} filesUrl={filesUrl} />
    </div>
  );
}
