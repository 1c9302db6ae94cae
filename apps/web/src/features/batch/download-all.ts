import { describePipeline, LoupeError, type OutputFormat, type RgbaImage } from '@loupe/shared';
import { uniqueNames, zip } from '../../lib/zip';
import { planRestore } from '../../services/plan-run';
import type { RunContext } from '../../services/run-service';
import { downloadSettings } from '../download/download-current';
import { downloadName, encodeImage, saveBlob } from '../download/encode';
import { batchDeps, type BatchDeps } from './run-batch';

/**
 * The picture a batch file shows, recomputed from the nearest kept one when it was not kept
 * (on the engine that made it, as the history does).
 */
async function shownPicture(
  id: string,
  context: RunContext | null,
  deps: BatchDeps,
): Promise<RgbaImage> {
  const kept = await deps.workspace.shownPicture(id);
  if (kept) return kept;
  if (!context)
    throw new LoupeError('INTERNAL', 'A result was not kept and cannot be recomputed yet.');
  return deps.workspace.edit(id, async (doc) => {
    const view = doc.getState();
    const plan = planRestore(view, view.cursor)!;
    const { image } = await deps.runs.run(context, { image: plan.image, steps: plan.steps });
    doc.getState().restorePicture(view.history[view.cursor]!.id, image);
    return image;
  });
}

/** Each file's result as the archive names it: `<file>_<steps>.<ext>`, apart if two match. */
export async function batchArchive(
  format: OutputFormat,
  quality: number,
  context: RunContext | null,
  deps: BatchDeps = batchDeps,
): Promise<{ name: string; blob: Blob; count: number }> {
  const open = new Set(deps.documents.getState().tabs.map((t) => t.id));
  const results = deps.batch
    .getState()
    .items.filter((i) => open.has(i.id))
    .map((item) => ({ item, steps: deps.workspace.stepsOf(item.id) }))
    .filter((r) => r.steps.length);
  const entries = [];
  // One at a time: each decoded result is let go before the next one is made.
  for (const { item, steps } of results) {
    const picture = await shownPicture(item.id, context, deps);
    const blob = await encodeImage(picture, format, quality);
    entries.push({
      name: downloadName(item.name, steps, format),
      data: new Uint8Array(await blob.arrayBuffer()),
    });
  }
  const names = uniqueNames(entries.map((e) => e.name));
  const { recipe } = deps.batch.getState();
  return {
    name: recipe.length ? `batch_${describePipeline(recipe)}.zip` : 'batch.zip',
    blob: zip(entries.map((e, i) => ({ ...e, name: names[i]! }))),
    count: entries.length,
  };
}

/** One batch file's result, as the Export panel would name and encode it. */
export async function saveResult(
  item: { id: string; name: string },
  context: RunContext | null,
  deps: BatchDeps = batchDeps,
): Promise<void> {
  const { format, quality } = downloadSettings;
  const picture = await shownPicture(item.id, context, deps);
  const name = downloadName(item.name, deps.workspace.stepsOf(item.id), format);
  saveBlob(await encodeImage(picture, format, quality), name);
}

/** "Download all": one zip of every batch file's result. */
export async function downloadAll(
  format: OutputFormat,
  quality: number,
  context: RunContext | null,
): Promise<void> {
  const { name, blob } = await batchArchive(format, quality, context);
  saveBlob(blob, name);
}
