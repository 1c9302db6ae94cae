import { useId } from 'react';
import { Button } from '../../ui/Button';
import { Segmented } from '../../ui/Segmented';
import { MAX_BRUSH_RADIUS, MAX_FEATHER, MIN_BRUSH_RADIUS } from './brush-size';
import { maskBrush } from './mask-brush';
import { useMaskBrush } from './use-mask-brush';
import type { BrushTool } from './strokes';

const TOOLS: readonly { value: BrushTool; label: string }[] = [
  { value: 'brush', label: 'Brush' },
  { value: 'eraser', label: 'Eraser' },
];

const label = 'text-[13px] font-medium text-zinc-700 dark:text-zinc-300';

/**
 * The mask brush's settings, beside the op that takes the mask: brush or eraser, size (also
 * `[` `]`), feather, invert, and the stroke stack's undo, redo and clear.
 */
export function MaskPanel() {
  const id = useId();
  const tool = useMaskBrush((s) => s.tool);
  const radius = useMaskBrush((s) => s.radius);
  const featherPx = useMaskBrush((s) => s.doc?.feather ?? 0);
  const invert = useMaskBrush((s) => s.doc?.invert ?? false);
  const strokes = useMaskBrush((s) => s.doc?.strokes.length ?? 0);
  const undone = useMaskBrush((s) => s.undone.length);
  const painted = useMaskBrush((s) => Boolean(s.doc && (s.doc.base || s.doc.strokes.length)));
  const ready = useMaskBrush((s) => s.doc !== null);
  const brush = maskBrush.getState();

  return (
    <div className="space-y-3" aria-label="Mask" role="group">
      <Segmented
        label="Mask tool"
        name={`${id}-tool`}
        options={TOOLS}
        value={tool}
        onChange={brush.setTool}
      />
      <div>
        <div className="mb-1.5 flex items-baseline justify-between gap-2">
          <label htmlFor={`${id}-size`} className={label}>
            Brush size
          </label>
          <span className="font-mono text-xs text-zinc-500 tabular-nums" aria-hidden="true">
            {radius * 2} px
          </span>
        </div>
        <input
          id={`${id}-size`}
          type="range"
          min={MIN_BRUSH_RADIUS}
          max={MAX_BRUSH_RADIUS}
          value={radius}
          aria-keyshortcuts="[ ]"
          aria-valuetext={`${radius * 2} px`}
          onChange={(e) => brush.setRadius(Number(e.target.value))}
          className="w-full accent-accent-500"
        />
      </div>
      <div>
        <div className="mb-1.5 flex items-baseline justify-between gap-2">
          <label htmlFor={`${id}-feather`} className={label}>
            Feather
          </label>
          <span className="font-mono text-xs text-zinc-500 tabular-nums" aria-hidden="true">
            {featherPx} px
          </span>
        </div>
        <input
          id={`${id}-feather`}
          type="range"
          min={0}
          max={MAX_FEATHER}
          value={featherPx}
          disabled={!ready}
          aria-valuetext={`${featherPx} px`}
          onChange={(e) => maskBrush.getState().setFeather(Number(e.target.value))}
          className="w-full accent-accent-500"
        />
      </div>
      <label className="flex items-center gap-2 text-[13px] text-zinc-700 dark:text-zinc-300">
        <input
          type="checkbox"
          checked={invert}
          disabled={!ready}
          onChange={(e) => maskBrush.getState().setInvert(e.target.checked)}
          className="accent-accent-500"
        />
        Invert mask
      </label>
      <div className="grid grid-cols-3 gap-2">
        <Button
          size="sm"
          variant="secondary"
          aria-label="Undo stroke"
          disabled={!strokes}
          onClick={() => maskBrush.getState().undoStroke()}
        >
          Undo
        </Button>
        <Button
          size="sm"
          variant="secondary"
          aria-label="Redo stroke"
          disabled={!undone}
          onClick={() => maskBrush.getState().redoStroke()}
        >
          Redo
        </Button>
        <Button
          size="sm"
          variant="secondary"
          aria-label="Clear mask"
          disabled={!painted && !invert}
          onClick={() => maskBrush.getState().clear()}
        >
          Clear
        </Button>
      </div>
    </div>
  );
}
