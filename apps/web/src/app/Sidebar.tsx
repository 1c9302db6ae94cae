import { BatchPanel } from '../features/batch/BatchPanel';
import { useBatch } from '../features/batch/batch-store';
import { DownloadPanel } from '../features/download/DownloadPanel';
import { ParametersOfferNotice } from '../features/generate/ParametersOfferNotice';
import { PromptPanel, usesPromptPanel } from '../features/generate/PromptPanel';
import { HistoryPanel } from '../features/history/HistoryPanel';
import { MaskPanel } from '../features/mask/MaskPanel';
import { takesMask } from '../features/mask/mask-slot';
import { OpPicker } from '../features/params/OpPicker';
import { ParamPanel } from '../features/params/ParamPanel';
import { useInstalledModels } from '../features/params/use-installed-models';
import { RunPanel } from '../features/run/RunPanel';
import { RestoredSession } from '../features/session/RestoredSession';
import { VariationsGrid, useHasVariations } from '../features/variations/VariationsGrid';
import { useUi } from '../stores/editor-store';
import { Section } from '../ui/Section';

/** The inspector: choose, tune, run, review, export, top to bottom in the order they happen. */
export function Sidebar() {
  const batch = useBatch((s) => s.items.length > 1);
  const masked = useUi((s) => takesMask(s.op));
  const prompted = useUi((s) => usesPromptPanel(s.op));
  const variations = useHasVariations();
  const installed = useInstalledModels();
  return (
    <div className="scrollbar-thin h-full overflow-y-auto">
      <RestoredSession />
      <ParametersOfferNotice />
      <Section id="operation" title="Operation">
        <OpPicker />
      </Section>
      {prompted ? (
        <Section id="prompt" title="Prompt">
          <PromptPanel />
        </Section>
      ) : (
        <Section id="parameters" title="Parameters">
          <ParamPanel installed={installed} />
        </Section>
      )}
      {masked ? (
        <Section id="mask" title="Mask">
          <MaskPanel />
        </Section>
      ) : null}
      <Section id="run" title="Run">
        <RunPanel />
      </Section>
      {variations ? (
        <Section id="variations" title="Variations">
          <VariationsGrid />
        </Section>
      ) : null}
      <Section id="history" title="History">
        <HistoryPanel />
      </Section>
      {batch ? (
        <Section id="batch" title="Batch">
          <BatchPanel />
        </Section>
      ) : null}
      <Section id="export" title="Export">
        <DownloadPanel />
      </Section>
    </div>
  );
}
