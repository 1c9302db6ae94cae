import { useEditor, type CompareMode } from '../../stores/editor-store';
import { IconButton } from '../../ui/Button';
import { ColumnsIcon, EyeIcon, FitIcon, SplitIcon, ZoomInIcon, ZoomOutIcon } from '../../ui/icons';
import { useZoomCommands } from './zoom-commands';

const MODES: { mode: CompareMode; label: string; Icon: typeof SplitIcon }[] = [
  { mode: 'split', label: 'Split', Icon: SplitIcon },
  { mode: 'side-by-side', label: 'Side by side', Icon: ColumnsIcon },
];

/** Floating controls over the stage: comparison mode, zoom, 1:1 and the hold-to-compare eye. */
export function CompareToolbar() {
  const mode = useEditor((s) => s.compareMode);
  const setMode = useEditor((s) => s.setCompareMode);
  const hasResult = useEditor((s) => s.cursor >= 0);
  const zoom = useEditor((s) => s.view?.zoom ?? 1);
  const setShowOriginal = useEditor((s) => s.setShowOriginal);
  const showOriginal = useEditor((s) => s.showOriginal);
  const { zoomIn, zoomOut, fit, actual } = useZoomCommands();
  const ratio = window.devicePixelRatio || 1;
  return (
    <div className="pointer-events-auto flex items-center gap-0.5 rounded-xl bg-white/90 p-1 shadow-lg ring-1 ring-zinc-900/10 backdrop-blur dark:bg-zinc-900/90 dark:ring-white/10">
      {hasResult ? (
        <>
          <div role="radiogroup" aria-label="Comparison mode" className="flex">
            {MODES.map(({ mode: m, label, Icon }) => (
              <button
                key={m}
                type="button"
                role="radio"
                aria-checked={mode === m}
                aria-label={label}
                title={label}
                onClick={() => setMode(m)}
                className={`inline-flex size-8 items-center justify-center rounded-lg outline-none focus-visible:ring-2 focus-visible:ring-accent-500 ${mode === m ? 'bg-zinc-200 text-zinc-900 dark:bg-zinc-700 dark:text-white' : 'text-zinc-500 hover:text-zinc-900 dark:hover:text-white'}`}
              >
                <Icon />
              </button>
            ))}
          </div>
          <Divider />
        </>
      ) : null}
      <IconButton label="Zoom out" onClick={zoomOut}>
        <ZoomOutIcon />
      </IconButton>
      <output
        aria-label="Zoom level"
        className="w-12 text-center font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-300"
      >
        {Math.round(zoom * ratio * 100)}%
      </output>
      <IconButton label="Zoom in" onClick={zoomIn}>
        <ZoomInIcon />
      </IconButton>
      <IconButton label="Fit to screen" onClick={fit}>
        <FitIcon />
      </IconButton>
      <button
        type="button"
        aria-label="Actual pixels (1:1)"
        title="Actual pixels (1:1)"
        onClick={actual}
        className="inline-flex h-8 items-center rounded-lg px-2 font-mono text-xs font-semibold text-zinc-600 outline-none hover:bg-zinc-200/70 focus-visible:ring-2 focus-visible:ring-accent-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        1:1
      </button>
      {hasResult ? (
        <>
          <Divider />
          <IconButton
            label="Hold to show original"
            pressed={showOriginal}
            onPointerDown={() => setShowOriginal(true)}
            onPointerUp={() => setShowOriginal(false)}
            onPointerLeave={() => setShowOriginal(false)}
          >
            <EyeIcon />
          </IconButton>
        </>
      ) : null}
    </div>
  );
}

function Divider() {
  return <span className="mx-1 h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden="true" />;
}
