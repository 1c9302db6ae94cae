import { UNKNOWN_LICENSE, type DiffusionModelInfo } from '@loupe/shared';
import { formatBytes } from '../../lib/format';
import { CAPABILITY_LABELS, folderLabel } from './diffusion-choices';

/**
 * The configured diffusion folders that can run the selected op, as radio cards: what each can
 * do, its size and type, and its licence (an unknown one says to check before use).
 */
export function ModelPicker({
  folders,
  chosen,
  onChoose,
  disabled,
}: {
  folders: readonly DiffusionModelInfo[];
  chosen: string | undefined;
  onChoose(id: string): void;
  disabled: boolean;
}) {
  return (
    <div role="radiogroup" aria-label="Diffusion model" className="space-y-1.5">
      {folders.map((f) => {
        const checked = f.id === chosen;
        const unknownLicence = f.license.name === UNKNOWN_LICENSE;
        return (
          <label
            key={f.id}
            className={`relative block cursor-pointer rounded-lg px-3 py-2 ring-1 transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${
              checked
                ? 'bg-accent-500/10 ring-accent-500 dark:bg-accent-500/15'
                : 'bg-white ring-zinc-200 hover:ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-800'
            }`}
          >
            <input
              type="radio"
              name="diffusion-model"
              aria-label={folderLabel(f)}
              value={f.id}
              checked={checked}
              disabled={disabled}
              onChange={() => onChoose(f.id)}
              className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
            />
            <span className="block text-[13px] font-medium">{folderLabel(f)}</span>
            <span className="block text-[11px] text-zinc-500">
              {f.capabilities.map((c) => CAPABILITY_LABELS[c]).join(' · ')}
            </span>
            <span className="block text-[11px] text-zinc-500">
              native {f.nativeSize.width} × {f.nativeSize.height} ·{' '}
              {f.dtype === 'float16' ? 'fp16' : 'fp32'} · {formatBytes(f.bytes)}
            </span>
            <span
              data-testid="model-licence"
              className={`block text-[11px] ${unknownLicence ? 'text-amber-600 dark:text-amber-400' : 'text-zinc-500'}`}
            >
              Licence: {f.license.name}
            </span>
          </label>
        );
      })}
    </div>
  );
}
