import { cropIssues, type Size } from '@loupe/shared';
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { editorStore, useEditor, type View } from '../../stores/editor-store';
import {
  CROP_ASPECTS,
  boxFromParams,
  dragBox,
  fitAspect,
  keyNudge,
  type CropAspect,
  type CropBox,
  type CropHandle,
} from './crop-box';

const HANDLE_NAMES: Record<Exclude<CropHandle, 'move'>, string> = {
  nw: 'top-left corner',
  n: 'top edge',
  ne: 'top-right corner',
  e: 'right edge',
  se: 'bottom-right corner',
  s: 'bottom edge',
  sw: 'bottom-left corner',
  w: 'left edge',
};

/** Where each handle sits on the box, as fractions of its width and height. */
const HANDLE_AT: Record<Exclude<CropHandle, 'move'>, [number, number]> = {
  nw: [0, 0],
  n: [0.5, 0],
  ne: [1, 0],
  e: [1, 0.5],
  se: [1, 1],
  s: [0.5, 1],
  sw: [0, 1],
  w: [0, 0.5],
};

const CURSORS: Record<CropHandle, string> = {
  nw: 'nwse-resize',
  se: 'nwse-resize',
  ne: 'nesw-resize',
  sw: 'nesw-resize',
  n: 'ns-resize',
  s: 'ns-resize',
  e: 'ew-resize',
  w: 'ew-resize',
  move: 'move',
};

const held = (): CropBox => {
  const p = editorStore.getState().params;
  return {
    x: Number(p.x) || 0,
    y: Number(p.y) || 0,
    width: Number(p.width) || 0,
    height: Number(p.height) || 0,
  };
};

const write = (b: CropBox) =>
  editorStore.getState().setParams({ x: b.x, y: b.y, width: b.width, height: b.height });

/**
 * The crop rectangle over the stage while the crop op is selected: drag the box or its eight
 * handles, or focus one and use the arrow keys (Shift: 10 px). Every change is written to the
 * op's params, which the panel's fields show; the box is drawn from those params.
 */
export function CropOverlay({ image, view }: { image: Size; view: View }) {
  const params = useEditor((s) => s.params);
  const [aspect, setAspect] = useState<CropAspect>('free');
  const drag = useRef<{
    id: number;
    handle: CropHandle;
    start: CropBox;
    x: number;
    y: number;
  } | null>(null);
  const box = boxFromParams(
    {
      x: Number(params.x) || 0,
      y: Number(params.y) || 0,
      width: Number(params.width) || 0,
      height: Number(params.height) || 0,
    },
    image,
  );
  const ratio = CROP_ASPECTS[aspect];

  // A picture of another size (the crop just ran, or an undo) may leave the params outside it.
  useEffect(() => {
    if (cropIssues(image, held()).length) write(boxFromParams(held(), image));
  }, [image]);

  const begin = (handle: CropHandle) => (e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    // A handle sits inside the box: its drag must not also move the box.
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, handle, start: box, x: e.clientX, y: e.clientY };
  };
  const track = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const dx = (e.clientX - d.x) / view.zoom;
    const dy = (e.clientY - d.y) / view.zoom;
    write(dragBox(d.start, d.handle, dx, dy, image, ratio));
  };
  const end = (e: PointerEvent<HTMLElement>) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
  };
  const keys = (handle: CropHandle) => (e: KeyboardEvent<HTMLElement>) => {
    const nudge = keyNudge(e.key, e.shiftKey);
    if (!nudge) return;
    e.preventDefault();
    e.stopPropagation();
    write(dragBox(box, handle, nudge.dx, nudge.dy, image, ratio));
  };
  const chooseAspect = (next: CropAspect) => {
    setAspect(next);
    write(fitAspect(box, CROP_ASPECTS[next], image));
  };
  const pointer = (handle: CropHandle) => ({
    onPointerDown: begin(handle),
    onPointerMove: track,
    onPointerUp: end,
    onPointerCancel: end,
    onKeyDown: keys(handle),
    tabIndex: 0,
  });

  const left = view.x + box.x * view.zoom;
  const top = view.y + box.y * view.zoom;
  const width = box.width * view.zoom;
  const height = box.height * view.zoom;
  return (
    <div className="pointer-events-none absolute inset-0 z-30" data-no-pan>
      <div
        role="group"
        aria-label="Crop area"
        aria-description={`${box.width} × ${box.height} at ${box.x}, ${box.y}. Drag or use the arrow keys to move it.`}
        className="pointer-events-auto absolute shadow-[0_0_0_100vmax_rgba(0,0,0,0.5)] outline outline-1 outline-white/90 focus-visible:outline-2 focus-visible:outline-accent-500"
        style={{ left, top, width, height, cursor: CURSORS.move }}
        {...pointer('move')}
      >
        <div className="pointer-events-none absolute inset-0 grid grid-cols-3 grid-rows-3">
          {Array.from({ length: 9 }, (_, i) => (
            <div key={i} className="border-[0.5px] border-white/30" />
          ))}
        </div>
        {(Object.keys(HANDLE_AT) as Exclude<CropHandle, 'move'>[]).map((h) => (
          <div
            key={h}
            role="button"
            aria-roledescription="crop handle"
            aria-label={`Crop ${HANDLE_NAMES[h]}`}
            className="absolute size-3 -translate-x-1/2 -translate-y-1/2 rounded-sm bg-white shadow ring-1 ring-black/40 outline-none focus-visible:ring-2 focus-visible:ring-accent-500"
            style={{
              left: `${HANDLE_AT[h][0] * 100}%`,
              top: `${HANDLE_AT[h][1] * 100}%`,
              cursor: CURSORS[h],
            }}
            {...pointer(h)}
          />
        ))}
      </div>
      <div
        role="radiogroup"
        aria-label="Crop aspect"
        className="pointer-events-auto absolute top-3 left-1/2 flex -translate-x-1/2 gap-0.5 rounded-lg bg-black/55 p-0.5 text-[11px] font-medium text-white backdrop-blur"
      >
        {(Object.keys(CROP_ASPECTS) as CropAspect[]).map((a) => (
          <button
            key={a}
            type="button"
            role="radio"
            aria-checked={aspect === a}
            onClick={() => chooseAspect(a)}
            className={`rounded-md px-2 py-1 outline-none focus-visible:ring-2 focus-visible:ring-accent-500 ${aspect === a ? 'bg-white/25' : 'hover:bg-white/10'}`}
          >
            {a === 'free' ? 'Free' : a}
          </button>
        ))}
      </div>
    </div>
  );
}
