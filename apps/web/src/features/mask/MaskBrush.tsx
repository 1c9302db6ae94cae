import type { Size } from '@loupe/shared';
import { useRef, type PointerEvent } from 'react';
import { editorStore, useEditor, type View } from '../../stores/editor-store';
import { paneCanvas } from '../compare/pane-canvas';
import { dpr } from '../compare/use-pan-zoom';
import { panBy, zoomTo } from '../compare/viewport';
import { maskBrush } from './mask-brush';
import { useMaskBrush } from './use-mask-brush';
import { useMaskKeys } from './use-mask-keys';
import type { StrokePoint } from './strokes';

interface Pinch {
  readonly distance: number;
  readonly mid: { x: number; y: number };
  readonly view: View;
}

/**
 * Painting on the stage: one pointer (mouse, finger or pen) paints the mask, captured so a
 * stroke may leave the pane; a second finger turns it into a pinch that zooms and pans instead
 * (the stroke so far is dropped). The middle mouse button pans. The wheel still zooms (the pane
 * listens for it). The page never scrolls under a stroke (`touch-action: none`).
 */
export function MaskBrush({ image }: { image: Size }) {
  const surface = useRef<HTMLDivElement>(null);
  const cursor = useRef<HTMLDivElement>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const painter = useRef<number | null>(null);
  const pinch = useRef<Pinch | null>(null);
  const pan = useRef<{ id: number; x: number; y: number } | null>(null);
  useMaskKeys();
  const radius = useMaskBrush((s) => s.radius);
  const tool = useMaskBrush((s) => s.tool);

  const local = (e: { clientX: number; clientY: number }) => {
    const r = surface.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  // The picture's origin is the view's offset from the pane's first whole device pixel.
  const toImage = (e: PointerEvent<HTMLElement> | globalThis.PointerEvent): StrokePoint => {
    const view = editorStore.getState().view!;
    const r = surface.current!.getBoundingClientRect();
    const shift = paneCanvas(r, dpr());
    const x = (e.clientX - r.left + shift.shiftX - view.x) / view.zoom;
    const y = (e.clientY - r.top + shift.shiftY - view.y) / view.zoom;
    return e.pointerType === 'pen' && e.pressure > 0 ? { x, y, pressure: e.pressure } : { x, y };
  };
  const pinchOf = (): Pinch | null => {
    const [a, b] = [...pointers.current.values()];
    const view = editorStore.getState().view;
    if (!a || !b || !view) return null;
    return {
      distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      view,
    };
  };

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (!editorStore.getState().view) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    if (e.pointerType === 'mouse' && e.button === 1) {
      pan.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
      return;
    }
    if (e.button !== 0) return;
    e.preventDefault();
    pointers.current.set(e.pointerId, local(e));
    if (pointers.current.size === 1) {
      painter.current = e.pointerId;
      maskBrush.getState().begin(toImage(e));
    } else if (pointers.current.size === 2) {
      // A second finger: this was the start of a pinch, not a stroke.
      if (painter.current !== null) maskBrush.getState().abandon();
      painter.current = null;
      pinch.current = pinchOf();
    }
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    showCursor(e);
    const panning = pan.current;
    if (panning?.id === e.pointerId) {
      const view = editorStore.getState().view;
      if (view)
        editorStore
          .getState()
          .setView(panBy(view, e.clientX - panning.x, e.clientY - panning.y, dpr()));
      pan.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
      return;
    }
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, local(e));
    const start = pinch.current;
    if (start) {
      const now = pinchOf();
      if (!now) return;
      const zoomed = zoomTo(
        start.view,
        (start.view.zoom * now.distance) / start.distance,
        start.mid,
        dpr(),
      );
      editorStore
        .getState()
        .setView(panBy(zoomed, now.mid.x - start.mid.x, now.mid.y - start.mid.y, dpr()));
      return;
    }
    if (painter.current !== e.pointerId) return;
    // Every sample the pointer made since the last event: fast strokes stay continuous.
    const samples = e.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const sample of samples.length ? samples : [e.nativeEvent])
      maskBrush.getState().extend(toImage(sample));
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    if (pan.current?.id === e.pointerId) pan.current = null;
    if (!pointers.current.delete(e.pointerId)) return;
    if (painter.current === e.pointerId) {
      painter.current = null;
      if (e.type === 'pointercancel') maskBrush.getState().abandon();
      else maskBrush.getState().end();
    }
    if (pointers.current.size < 2) pinch.current = null;
  };

  const showCursor = (e: PointerEvent<HTMLDivElement>) => {
    const el = cursor.current;
    if (!el) return;
    if (e.pointerType === 'touch') return void (el.style.display = 'none');
    const at = local(e);
    el.style.display = 'block';
    el.style.transform = `translate(${at.x}px, ${at.y}px) translate(-50%, -50%)`;
  };
  const zoom = useEditor((s) => s.view?.zoom ?? 1);

  return (
    <div
      ref={surface}
      role="application"
      aria-label="Mask brush"
      aria-roledescription="mask painting area"
      aria-description={`${tool === 'brush' ? 'Brush' : 'Eraser'}, ${radius} px. Drag to paint the mask on the ${image.width} × ${image.height} picture; two fingers zoom.`}
      data-no-pan
      className="absolute inset-0 z-[15] cursor-none touch-none"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onPointerLeave={() => cursor.current && (cursor.current.style.display = 'none')}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div
        ref={cursor}
        aria-hidden="true"
        className="pointer-events-none absolute top-0 left-0 hidden rounded-full border border-white shadow-[0_0_0_1px_rgba(0,0,0,0.6)]"
        style={{ width: 2 * radius * zoom, height: 2 * radius * zoom }}
      />
    </div>
  );
}
