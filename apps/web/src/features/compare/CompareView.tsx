import { useEffect, useState } from 'react';
import { useEditor } from '../../stores/editor-store';
import { previewStore, usePreview } from '../../stores/preview-store';
import { CropOverlay } from '../geometry/CropOverlay';
import { useCropInput } from '../geometry/use-crop-input';
import { MaskBrush } from '../mask/MaskBrush';
import { MaskLayer } from '../mask/MaskLayer';
import { useMaskInput } from '../mask/use-mask-brush';
import { ImageLayer } from './ImageLayer';
import { Badge, Pane } from './Pane';
import { SplitHandle } from './SplitHandle';
import { useDevicePixelRatio, useElementSize, useFitOnChange, usePanZoom } from './use-pan-zoom';

/**
 * The stage: the original against the shown result, either as a split overlay or side by
 * side with one shared view. Holding O (or the eye button) flashes the original. While a live
 * preview is up it stands in for the result, laid out at the result's size, badged `Preview`.
 */
export function CompareView() {
  const source = useEditor((s) => s.source);
  const committed = useEditor((s) => (s.cursor >= 0 ? (s.history[s.cursor]?.image ?? null) : null));
  const preview = usePreview((s) => s.shown);
  const result = preview?.image ?? committed;
  const resultBadge = preview ? `Preview${preview.label ? ` · ${preview.label}` : ''}` : 'Result';
  const mode = useEditor((s) => s.compareMode);
  const split = useEditor((s) => s.split);
  const view = useEditor((s) => s.view);
  const showOriginal = useEditor((s) => s.showOriginal);
  // Callback refs: the panes remount when the mode changes and the listeners must follow them.
  const [left, setLeft] = useState<HTMLDivElement | null>(null);
  const [right, setRight] = useState<HTMLDivElement | null>(null);
  usePanZoom(left);
  usePanZoom(right);
  const pane = useElementSize(left);
  const ratio = useDevicePixelRatio();
  const display = preview?.size ?? result ?? source?.image ?? null;
  // Previews are made as large as this pane shows them.
  useEffect(() => {
    previewStore.getState().setScreen(pane ? { ...pane, dpr: ratio } : null);
  }, [pane, ratio]);
  useFitOnChange(display, pane);
  const cropInput = useCropInput(display);
  const maskInput = useMaskInput(display);
  if (!source || !display) return null;
  // Drawn over the pane that shows the picture the crop (or the mask) applies to.
  const crop =
    view && cropInput ? (
      <CropOverlay image={cropInput} view={view} />
    ) : view && maskInput ? (
      <>
        <MaskLayer image={maskInput} view={view} dpr={ratio} />
        <MaskBrush image={maskInput} />
      </>
    ) : null;
  const original = view ? (
    <ImageLayer
      image={source.image}
      display={display}
      view={view}
      dpr={ratio}
      label="Original image"
    />
  ) : null;
  const after =
    view && result ? (
      <ImageLayer image={result} display={display} view={view} dpr={ratio} label="Result image" />
    ) : null;

  if (!result) {
    return (
      <div className="h-full">
        <Pane paneRef={setLeft} label="Original" badge={<Badge side="left">Original</Badge>}>
          {original}
          {crop}
        </Pane>
      </div>
    );
  }

  if (mode === 'side-by-side') {
    return (
      <div className="grid h-full grid-cols-2 gap-px bg-zinc-300 dark:bg-zinc-800">
        <Pane paneRef={setLeft} label="Original" badge={<Badge side="left">Original</Badge>}>
          {original}
        </Pane>
        <Pane
          paneRef={setRight}
          label="Result"
          badge={<Badge side="right">{showOriginal ? 'Original' : resultBadge}</Badge>}
        >
          {showOriginal ? (
            view ? (
              <ImageLayer
                image={source.image}
                display={display}
                view={view}
                dpr={ratio}
                label="Original image"
              />
            ) : null
          ) : (
            after
          )}
          {crop}
        </Pane>
      </div>
    );
  }

  const width = pane?.width ?? 0;
  const cut = showOriginal ? 100 : split;
  return (
    <div className="h-full">
      <Pane
        paneRef={setLeft}
        label="Comparison"
        badge={
          <>
            <Badge side="left">Original</Badge>
            {showOriginal ? null : <Badge side="right">{resultBadge}</Badge>}
          </>
        }
      >
        {after}
        <div
          className="pointer-events-none absolute inset-0"
          style={{ clipPath: `inset(0 ${100 - cut}% 0 0)` }}
        >
          {original}
        </div>
        {showOriginal ? null : <SplitHandle paneWidth={width} />}
        {crop}
      </Pane>
    </div>
  );
}
