import type { Size } from '@loupe/shared';
import { useUi } from '../../stores/editor-store';
import { ParamField } from '../params/ParamField';
import type { ParamField as Field } from '../params/schema-fields';
import { sizePresets } from './size-presets';

/**
 * Text to image's size: presets at the model's pixel count in the usual aspects, then the
 * schema's own Width and Height sliders for anything else.
 */
export function SizeField({ native, fields }: { native: Size; fields: readonly Field[] }) {
  const width = useUi((s) => s.params.width);
  const height = useUi((s) => s.params.height);
  const setParam = useUi((s) => s.setParam);
  const presets = sizePresets(native);
  return (
    <div className="space-y-3">
      <div>
        <span className="mb-1.5 block text-[13px] font-medium text-zinc-700 dark:text-zinc-300">
          Size
        </span>
        <div role="radiogroup" aria-label="Size preset" className="flex flex-wrap gap-1">
          {presets.map((p) => {
            const checked = p.width === width && p.height === height;
            return (
              <label
                key={p.label}
                title={`${p.width} × ${p.height}`}
                className={`relative cursor-pointer rounded-md px-2 py-1 text-[11px] font-medium ring-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${
                  checked
                    ? 'bg-accent-500/10 text-accent-600 ring-accent-500 dark:text-accent-400'
                    : 'text-zinc-600 ring-zinc-200 hover:ring-zinc-300 dark:text-zinc-400 dark:ring-zinc-800'
                }`}
              >
                <input
                  type="radio"
                  name="size-preset"
                  aria-label={`${p.label}${p.label.startsWith('Native') ? '' : `, ${p.width} × ${p.height}`}`}
                  checked={checked}
                  onChange={() => {
                    setParam('width', p.width);
                    setParam('height', p.height);
                  }}
                  className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
                />
                {p.label}
              </label>
            );
          })}
        </div>
      </div>
      {fields.map((f) => (
        <ParamField
          key={f.key}
          field={f}
          value={(f.key === 'width' ? width : height) ?? native[f.key as 'width' | 'height']}
          onChange={(v) => setParam(f.key, v)}
        />
      ))}
    </div>
  );
}
