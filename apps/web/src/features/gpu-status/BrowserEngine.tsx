import type { BrowserEp } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';
import { Segmented } from '../../ui/Segmented';

const CHOICES: { value: BrowserEp | null; label: string }[] = [
  { value: null, label: 'Let Loupe choose' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WASM' },
];

/**
 * Which engine in-browser runs try first. By default the policy skips software WebGPU
 * (SwiftShader is ~150x slower than WASM); forcing WebGPU is for testing a device's GPU path.
 */
export function BrowserEngine() {
  const browserEp = useEditor((s) => s.browserEp);
  const setBrowserEp = useEditor((s) => s.setBrowserEp);
  return (
    <Segmented
      label="Browser engine"
      name="browser-engine"
      options={CHOICES}
      value={browserEp}
      onChange={setBrowserEp}
      dense
    />
  );
}
