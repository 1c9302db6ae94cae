import { currentImage, editorStore } from '../../stores/editor-store';
import { actualPixelsZoom, fitView, zoomBy, zoomTo, ZOOM_STEP } from './viewport';

/** The stage's pane: the first group with a picture, the one zoom commands centre on. */
function paneSize() {
  const el = document.querySelector<HTMLElement>('[data-pane]');
  return el ? { width: el.clientWidth, height: el.clientHeight } : null;
}

/** Zoom commands shared by the toolbar buttons and the keyboard shortcuts. */
export const zoomCommands = {
  zoomIn: () => zoomAround((v, c, d) => zoomBy(v, ZOOM_STEP, c, d)),
  zoomOut: () => zoomAround((v, c, d) => zoomBy(v, 1 / ZOOM_STEP, c, d)),
  actual: () => zoomAround((v, c, d) => zoomTo(v, actualPixelsZoom(d), c, d)),
  fit: () => {
    const s = editorStore.getState();
    const image = currentImage(s);
    const pane = paneSize();
    if (image && pane) s.setView(fitView(image, pane, window.devicePixelRatio || 1));
  },
};

function zoomAround(
  f: (
    v: NonNullable<ReturnType<typeof editorStore.getState>['view']>,
    c: { x: number; y: number },
    dpr: number,
  ) => ReturnType<typeof zoomBy>,
) {
  const s = editorStore.getState();
  const pane = paneSize();
  if (!s.view || !pane) return;
  s.setView(f(s.view, { x: pane.width / 2, y: pane.height / 2 }, window.devicePixelRatio || 1));
}

export function useZoomCommands() {
  return zoomCommands;
}
