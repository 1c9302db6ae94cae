import { useRef, useState } from 'react';
import { editorStore, useEditor } from '../../stores/editor-store';
import { Button, IconButton } from '../../ui/Button';
import { SaveIcon, TrashIcon } from '../../ui/icons';
import { useLiveEdit } from './live-edit';
import { deletePreset, loadPresets, savePreset } from './presets';

/** Named parameter sets per op, saved in this browser. */
export function Presets() {
  const op = useEditor((s) => s.op);
  const params = useEditor((s) => s.params);
  const setParams = useEditor((s) => s.setParams);
  const live = useLiveEdit();
  const [presets, setPresets] = useState(loadPresets);
  const mine = presets.filter((p) => p.op === op);
  const [selected, setSelected] = useState('');
  const current = mine.find((p) => p.name === selected);

  // Naming happens inline, not in window.prompt: a real labelled field that screen readers,
  // autofill and phones handle, and that blocks nothing else on the page.
  const [naming, setNaming] = useState<string | null>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const finish = () => {
    setNaming(null);
    requestAnimationFrame(() => saveButton.current?.focus());
  };
  const save = () => {
    const name = naming?.trim();
    if (!name) return;
    setPresets(savePreset({ name, op, params }));
    setSelected(name);
    finish();
  };

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-1.5">
        <select
          aria-label="Preset"
          value={current ? selected : ''}
          onChange={(e) => {
            const preset = mine.find((p) => p.name === e.currentTarget.value);
            setSelected(e.currentTarget.value);
            if (!preset) return;
            setParams(preset.params);
            void live.commit(op, editorStore.getState().params);
          }}
          className="h-8 min-w-0 flex-1 rounded-lg bg-white px-2 text-xs ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-zinc-900 dark:ring-zinc-700"
        >
          <option value="">{mine.length ? 'Choose a preset…' : 'No presets yet'}</option>
          {mine.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <IconButton
          ref={saveButton}
          label="Save preset"
          aria-expanded={naming !== null}
          onClick={() => setNaming(naming === null ? selected || 'My preset' : null)}
        >
          <SaveIcon width="16" height="16" />
        </IconButton>
        <IconButton
          label="Delete preset"
          disabled={!current}
          onClick={() => {
            setPresets(deletePreset(op, selected));
            setSelected('');
          }}
        >
          <TrashIcon width="16" height="16" />
        </IconButton>
      </div>
      {naming !== null ? (
        <form
          aria-label="Name the preset"
          className="flex items-center gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <input
            // The field appears because the user asked to name a preset: focus belongs there.
            autoFocus
            aria-label="Preset name"
            value={naming}
            maxLength={60}
            onChange={(e) => setNaming(e.currentTarget.value)}
            onFocus={(e) => e.currentTarget.select()}
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.preventDefault();
              e.stopPropagation();
              finish();
            }}
            className="h-8 min-w-0 flex-1 rounded-lg bg-white px-2 text-xs ring-1 ring-zinc-300 outline-none focus:ring-2 focus:ring-accent-500 pointer-coarse:h-11 dark:bg-zinc-900 dark:ring-zinc-700"
          />
          <Button type="submit" size="sm" variant="primary" disabled={!naming.trim()}>
            Save
          </Button>
          <Button size="sm" variant="ghost" onClick={finish}>
            Cancel
          </Button>
        </form>
      ) : null}
    </div>
  );
}
