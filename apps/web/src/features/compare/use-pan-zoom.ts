import type { Size } from '@loupe/shared';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { editorStore } from '../../stores/editor-store';
import { viewAfterLayout, type Layout } from './refit';
import { panBy, wheelFactor, zoomBy } from './viewport';

export const dpr = () => window.devicePixelRatio || 1;

/**
 * `devicePixelRatio`, re-rendering when it changes (browser zoom, a window moved to another
 * screen): the layers' canvases are sized in device pixels.
 */
export function useDevicePixelRatio(): number {
  return useSyncExternalStore(onDprChange, dpr);
}

function onDprChange(notify: () => void): () => void {
  let query: MediaQueryList | null = null;
  const changed = () => {
    listen();
    notify();
  };
  // A resolution query matches one ratio only, so each change needs a new one.
  const listen = () => {
    query?.removeEventListener('change', changed);
    query = window.matchMedia(`(resolution: ${dpr()}dppx)`);
    query.addEventListener('change', changed);
  };
  listen();
  return () => query?.removeEventListener('change', changed);
}

/** Size of an element, kept current by a ResizeObserver. */
export function useElementSize(el: HTMLElement | null): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useEffect(() => {
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry!.contentRect;
      setSize((s) =>
        s && s.width === box.width && s.height === box.height
          ? s
          : { width: box.width, height: box.height },
      );
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return size;
}

/**
 * Wheel zooms at the cursor, drag pans. Every pane writes the one view in the store, so
 * side-by-side panes move together. The wheel listener is native because React's is passive
 * and could not stop the page from scrolling.
 */
export function usePanZoom(el: HTMLElement | null) {
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);
  useEffect(() => {
    if (!el) return;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const wheel = (e: WheelEvent) => {
      const view = editorStore.getState().view;
      if (!view) return;
      e.preventDefault();
      editorStore.getState().setView(zoomBy(view, wheelFactor(e.deltaY), local(e), dpr()));
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('[data-no-pan]')) return;
      drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
      el.setPointerCapture(e.pointerId);
      el.dataset.panning = 'true';
    };
    const move = (e: PointerEvent) => {
      const d = drag.current;
      const view = editorStore.getState().view;
      if (!d || d.id !== e.pointerId || !view) return;
      editorStore.getState().setView(panBy(view, e.clientX - d.x, e.clientY - d.y, dpr()));
      drag.current = { ...d, x: e.clientX, y: e.clientY };
    };
    const up = (e: PointerEvent) => {
      if (drag.current?.id !== e.pointerId) return;
      drag.current = null;
      delete el.dataset.panning;
    };
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    return () => {
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
  }, [el]);
}

/**
 * Keeps the view right as the layout changes (`viewAfterLayout`): fitted when the picture
 * first appears, refitted when its pane changes size unless the user chose a zoom, and the
 * zoom divided when the picture's own size changes.
 */
export function useFitOnChange(display: Size | null, pane: Size | null) {
  const previous = useRef<Layout | null>(null);
  useEffect(() => {
    if (!display || !pane || pane.width === 0 || pane.height === 0) return;
    const { view, setView } = editorStore.getState();
    // A new picture (loadSource clears the view) starts from no layout at all.
    const before = view ? previous.current : null;
    const now = { display, pane };
    previous.current = now;
    const next = viewAfterLayout(view, before, now, dpr());
    if (next !== view) setView(next);
  }, [display, pane]);
}
