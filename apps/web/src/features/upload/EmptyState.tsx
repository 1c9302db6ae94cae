import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '../../lib/format';
import { Button } from '../../ui/Button';
import { editorStore } from '../../stores/editor-store';
import { ImageIcon, SparkIcon, UploadIcon } from '../../ui/icons';
import { PICKABLE_OPS } from '../params/pickable-ops';
import { OPENABLE_FORMAT_NAMES } from './upload-checks';
import { uploadLimitsQuery } from './upload-limits';

/** The first screen: what Loupe does, the three ways to bring a picture in, or make one. */
export function EmptyState({ onOpen }: { onOpen(): void }) {
  // The size is the server's; until it answers, say only what opens.
  const limits = useQuery(uploadLimitsQuery()).data;
  return (
    <div className="flex h-full items-center justify-center p-6">
      <div className="flex max-w-md flex-col items-center gap-5 rounded-3xl border border-dashed border-zinc-300 bg-white/60 px-10 py-12 text-center shadow-sm dark:border-zinc-700 dark:bg-zinc-900/50">
        <div className="flex size-14 items-center justify-center rounded-2xl bg-accent-500/10 text-accent-500">
          <ImageIcon width={28} height={28} />
        </div>
        <div className="space-y-1.5">
          <h1 className="text-xl font-semibold tracking-tight">Drop an image to start</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            Upscale, remove backgrounds, enhance illustrations and adjust — on your GPU when it can,
            on ours when it can't.
          </p>
        </div>
        <div className="flex flex-wrap justify-center gap-2">
          <Button variant="primary" onClick={onOpen}>
            <UploadIcon /> Open image
          </Button>
          {PICKABLE_OPS.includes('generate') ? (
            // The prompt panel takes it from there, or says which model to configure.
            <Button onClick={() => editorStore.getState().selectOp('generate')}>
              <SparkIcon /> Generate from a prompt
            </Button>
          ) : null}
        </div>
        <p className="text-xs text-zinc-400">
          or drag files anywhere · paste with{' '}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">
            Ctrl V
          </kbd>{' '}
          · {OPENABLE_FORMAT_NAMES}
          {limits ? ` up to ${formatBytes(limits.maxUploadBytes)}` : ''}
        </p>
      </div>
    </div>
  );
}
