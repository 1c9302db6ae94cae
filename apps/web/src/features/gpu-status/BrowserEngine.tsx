import type { BrowserEp } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';

const CHOICES: { ep: BrowserEp | null; label: string }[] = [
  { ep: null, label: 'Let Loupe choose' },
  { ep: 'webgpu', label: 'WebGPU' },
  { ep: 'wasm', label: 'WASM' },
];

/**
 * Which engine in-browser runs try first. By default the policy skips software WebGPU
 * (SwiftShader is ~150x slower than WASM); forcing WebGPU is for testing a device's GPU path.
 */
export function BrowserEngine() {
  const browserEp = useEditor((s) => s.browserEp);
  const setBrowserEp = useEditor((s) => s.setBrowserEp);
  return (
    <div
      role="radiogroup"
      aria-label="Browser engine"
      className="grid grid-cols-3 rounded-lg bg-zinc-200/70 p-0.5 dark:bg-zinc-800"
    >
      {CHOICES.map(({ ep, label }) => (
        <label
          key={label}
          className={`relative cursor-pointer rounded-md px-1 py-1.5 text-center text-[11px] font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 ${browserEp === ep ? 'bg-white shadow-sm dark:bg-zinc-600' : 'text-zinc-600 dark:text-zinc-400'}`}
        >
          <input
            type="radio"
            name="browser-engine"
            checked={browserEp === ep}
            onChange={() => setBrowserEp(ep)}
            className="absolute inset-0 z-10 m-0 cursor-pointer appearance-none opacity-0"
          />
          {label}
        </label>
      ))}
    </div>
  );
}
