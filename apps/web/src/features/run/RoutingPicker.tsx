import { PLACEMENT_MODES, type PlacementMode } from '@loupe/shared';
import { useUi } from '../../stores/editor-store';
import { Segmented } from '../../ui/Segmented';

const LABELS: Record<PlacementMode, string> = {
  auto: 'Auto',
  browser: 'Browser',
  server: 'Server',
};
const OPTIONS = PLACEMENT_MODES.map((m) => ({ value: m, label: LABELS[m] }));

/** Auto lets the placement policy choose; Browser and Server force it. */
export function RoutingPicker() {
  const mode = useUi((s) => s.mode);
  const setMode = useUi((s) => s.setMode);
  return (
    <Segmented label="Run on" name="run-on" options={OPTIONS} value={mode} onChange={setMode} />
  );
}
