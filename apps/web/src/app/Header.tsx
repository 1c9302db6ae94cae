import { formatBytes, formatSize } from '../lib/format';
import { currentSize, useDocument, useUi } from '../stores/editor-store';
import { UndoRedo } from '../features/history/HistoryPanel';
import { IconButton } from '../ui/Button';
import { ChipIcon, MoonIcon, SunIcon, UploadIcon } from '../ui/icons';
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries';
import { useTheme } from './theme';
import { ShortcutsButton } from './ShortcutsButton';

function Logo() {
  return (
    <div className="flex items-center gap-2">
      <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
        <circle
          cx="13"
          cy="13"
          r="8.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="3.5"
          className="text-accent-500"
        />
        <path
          d="M19.5 19.5 27 27"
          stroke="currentColor"
          strokeWidth="3.5"
          strokeLinecap="round"
          className="text-accent-500"
        />
      </svg>
      <span className="text-[15px] font-semibold tracking-tight">Loupe</span>
    </div>
  );
}

/** Image facts next to the name: what the upload panel promises (size, dimensions, format). */
function FileInfo() {
  const source = useDocument((s) => s.source);
  // The size is known even when the shown step's picture was not kept.
  const shown = useDocument(currentSize);
  if (!source || !shown) return null;
  return (
    <div
      aria-label="Image details"
      className="flex min-w-0 items-center gap-2 text-xs text-zinc-500"
    >
      <span className="truncate font-medium text-zinc-800 dark:text-zinc-200" title={source.name}>
        {source.name}
      </span>
      <span className="hidden sm:inline" data-testid="image-dimensions">
        {shown.width === source.image.width && shown.height === source.image.height
          ? formatSize(shown)
          : `${formatSize(source.image)} → ${formatSize(shown)}`}
      </span>
      <span className="hidden rounded bg-zinc-200 px-1.5 py-0.5 text-[10px] font-semibold md:inline dark:bg-zinc-800">
        {source.format}
      </span>
      <span className="hidden md:inline">{formatBytes(source.bytes)}</span>
    </div>
  );
}

function ServerDot() {
  const ready = useQuery(queries.ready());
  const [tone, text] = ready.isError
    ? ['bg-rose-500', 'Server offline']
    : ready.data?.ready
      ? ['bg-emerald-500', 'Server ready']
      : ['bg-amber-500', 'Server starting'];
  return (
    <span
      className="hidden items-center gap-1.5 text-xs text-zinc-500 lg:flex"
      role="status"
      aria-label={text}
    >
      <span className={`size-2 rounded-full ${tone}`} /> {text}
    </span>
  );
}

export function Header({ onOpen }: { onOpen(): void }) {
  const { dark, toggle } = useTheme();
  const gpuOpen = useUi((s) => s.gpuPanelOpen);
  const setGpuOpen = useUi((s) => s.setGpuPanelOpen);
  return (
    // relative z-30: backdrop-blur makes the header a stacking context, and without a z-index of
    // its own everything after it (the operation cards' z-10 inputs) paints over its popovers.
    <header className="relative z-30 flex h-14 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white/80 px-3 backdrop-blur sm:px-4 dark:border-zinc-800 dark:bg-zinc-900/80">
      <Logo />
      <span className="h-5 w-px bg-zinc-200 dark:bg-zinc-800" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <FileInfo />
      </div>
      <ServerDot />
      <UndoRedo />
      <IconButton label="Open image" aria-keyshortcuts="Control+O" onClick={onOpen}>
        <UploadIcon />
      </IconButton>
      <IconButton
        label="GPU status"
        aria-expanded={gpuOpen}
        pressed={gpuOpen}
        onClick={() => setGpuOpen(!gpuOpen)}
      >
        <ChipIcon />
      </IconButton>
      <ShortcutsButton />
      <IconButton label={dark ? 'Switch to light theme' : 'Switch to dark theme'} onClick={toggle}>
        {dark ? <SunIcon /> : <MoonIcon />}
      </IconButton>
    </header>
  );
}
