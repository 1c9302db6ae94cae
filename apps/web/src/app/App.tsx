import { useCallback, useRef } from 'react';
import { CompareToolbar } from '../features/compare/CompareToolbar';
import { CompareView } from '../features/compare/CompareView';
import { GpuPanel } from '../features/gpu-status/GpuPanel';
import { StageProgress } from '../features/run/StageProgress';
import { usePlacement } from '../features/run/use-placement';
import { LiveEditContext } from '../features/params/live-edit';
import { useLiveEdit, useRun } from '../features/run/use-run';
import { DropOverlay } from '../features/upload/DropOverlay';
import { EmptyState } from '../features/upload/EmptyState';
import { FilePicker, type FilePickerHandle } from '../features/upload/FilePicker';
import { DocumentTabs } from '../features/documents/DocumentTabs';
import { useSession } from '../features/session/use-session';
import { usePageDrop } from '../features/upload/use-page-drop';
import { makesPicture } from '../services/run-service';
import { useEditor } from '../stores/editor-store';
import { Header } from './Header';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';
import { useShortcuts } from './use-shortcuts';

export function App() {
  const picker = useRef<FilePickerHandle>(null);
  const open = useCallback(() => picker.current?.open(), []);
  const dragging = usePageDrop();
  const hasImage = useEditor((s) => s.source !== null);
  const { decision, step, context } = usePlacement();
  const start = useRun();
  const run = useCallback(() => {
    if (context && step && decision && !decision.error && (hasImage || makesPicture([step])))
      void start(context, step);
  }, [context, decision, step, start, hasImage]);
  useShortcuts({ open, run });
  const live = useLiveEdit(context);
  useSession();

  return (
    <div className="flex h-full flex-col">
      <Header onOpen={open} />
      <DocumentTabs />
      <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
        <main
          aria-label="Canvas"
          data-stage
          className="relative h-[50vh] shrink-0 lg:h-auto lg:min-h-0 lg:flex-1"
        >
          {hasImage ? (
            <>
              <CompareView />
              <StageProgress />
              <div className="pointer-events-none absolute inset-x-0 bottom-4 z-20 flex justify-center px-2">
                <CompareToolbar />
              </div>
            </>
          ) : (
            <EmptyState onOpen={open} />
          )}
          <Notices />
        </main>
        <aside
          aria-label="Editor controls"
          className="min-h-0 flex-1 border-t border-zinc-200 bg-white lg:w-[22rem] lg:flex-none lg:shrink-0 lg:border-t-0 lg:border-l dark:border-zinc-800 dark:bg-zinc-900/60"
        >
          <LiveEditContext value={live}>
            <Sidebar />
          </LiveEditContext>
        </aside>
      </div>
      <FilePicker ref={picker} />
      <GpuPanel />
      {dragging ? <DropOverlay /> : null}
    </div>
  );
}
