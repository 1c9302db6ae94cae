import { ERROR_CODES, isLoupeError, LoupeError } from '@loupe/shared';
import { historyEntries } from '../../services/plan-run';
import type { RunContext, RunService } from '../../services/run-service';
import { runs } from '../../services/runs';
import type { Workspace } from '../../services/documents/workspace';
import { workspace } from '../../services/workspace';
import { nearestKept } from '../../stores/document-store';
import type { DocumentsStoreApi } from '../../stores/documents-store';
import { documentsStore } from '../../stores/editor-store';
import { batchStore, type BatchItem, type BatchStoreApi } from './batch-store';
import { recipePlan } from './recipe';

export interface BatchDeps {
  runs: RunService;
  workspace: Workspace;
  batch: BatchStoreApi;
  documents: DocumentsStoreApi;
}

/** This tab's run service, documents and batch. */
export const batchDeps: BatchDeps = {
  runs,
  workspace,
  batch: batchStore,
  documents: documentsStore,
};

/** Why a batch run stops document switching while it writes into the documents. */
export const BATCH_BUSY = 'Stop the batch first: it is writing into these files.';

function message(e: unknown): string {
  return isLoupeError(e) ? `${ERROR_CODES[e.code].title}: ${e.message}` : (e as Error).message;
}

const isOpen = (deps: BatchDeps, id: string) =>
  deps.documents.getState().tabs.some((t) => t.id === id);

/**
 * Runs the recipe on one file, in its own history, placed for its own size: one worker call
 * or one server job from the nearest kept picture. The result is one commit, so a failure or a
 * cancel leaves the file as it was, and says why.
 */
async function runOne(
  item: BatchItem,
  context: RunContext,
  signal: AbortSignal,
  deps: BatchDeps,
): Promise<void> {
  const { recipe } = deps.batch.getState();
  const { update } = deps.batch.getState();
  const plan = recipePlan(deps.workspace.stepsOf(item.id), item, recipe);
  if (!plan) {
    if (item.status === 'failed') update(item.id, { status: 'waiting', error: undefined });
    return;
  }
  update(item.id, { status: 'running', error: undefined });
  try {
    await deps.workspace.edit(item.id, async (doc) => {
      const view = doc.getState();
      const { base, image, steps: before } = nearestKept(view, plan.base);
      if (!image) throw new LoupeError('INTERNAL', `${item.name} has no picture to start from.`);
      const steps = [...before, ...plan.steps];
      // A file still at its original is sent to the server as it is, not re-encoded.
      const upload = base === -1 ? view.source?.upload : undefined;
      const result = await deps.runs.run(
        context,
        { image, steps, ...(upload ? { original: upload } : {}) },
        {
          signal,
          onPlaced: ({ where, reason }) => update(item.id, { placement: { where, reason } }),
        },
      );
      const now = doc.getState();
      // The shown file can be edited by hand meanwhile: committing over that would lose it.
      if (now.history !== view.history || now.cursor !== view.cursor)
        throw new Error(`${item.name} changed while the batch ran: apply again.`);
      now.commit(base, historyEntries(steps, image, result));
    });
    update(item.id, {
      status: 'waiting',
      recipeBase: plan.recipeBase,
      recipeApplied: [...recipe],
    });
  } catch (e) {
    if (signal.aborted) update(item.id, { status: 'waiting' });
    else update(item.id, { status: 'failed', error: message(e) });
  }
}

async function exclusively(deps: BatchDeps, task: () => Promise<void>): Promise<void> {
  if (deps.batch.getState().running) return;
  deps.batch.getState().setRunning(true);
  deps.documents.getState().setBusy(BATCH_BUSY);
  try {
    await task();
  } finally {
    deps.documents.getState().setBusy(null);
    deps.batch.getState().setRunning(false);
  }
}

/**
 * "Apply to all": the recipe on every file that does not show it yet, one at a time (the GPU,
 * ours or the server's, is the bottleneck; parallel jobs would only queue). A file that fails
 * says why and the rest still run; a file that could not be read is left for its Retry.
 */
export function applyToAll(
  context: RunContext,
  signal: AbortSignal,
  deps: BatchDeps = batchDeps,
): Promise<void> {
  return exclusively(deps, async () => {
    for (const { id } of deps.batch.getState().items) {
      if (signal.aborted) return;
      const item = deps.batch.getState().items.find((i) => i.id === id);
      if (item && isOpen(deps, id)) await runOne(item, context, signal, deps);
    }
  });
}

/**
 * Tries one failed file again: a file that could not be read is read again (`reopen`), then
 * the recipe runs on it.
 */
export function retry(
  id: string,
  context: RunContext | null,
  signal: AbortSignal,
  reopen: (item: BatchItem) => Promise<BatchItem>,
  deps: BatchDeps = batchDeps,
): Promise<void> {
  return exclusively(deps, async () => {
    let item = deps.batch.getState().items.find((i) => i.id === id);
    if (!item) return;
    if (!isOpen(deps, id)) {
      const read = await reopen(item);
      deps.batch.getState().update(id, { ...read, status: read.status, error: read.error });
      if (read.status === 'failed') return;
      item = deps.batch.getState().items.find((i) => i.id === id)!;
    }
    if (context) await runOne(item, context, signal, deps);
  });
}
