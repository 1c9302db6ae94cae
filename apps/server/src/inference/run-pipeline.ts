// The child's run path is runtime-node's runPipeline, the one the CLI's in-process mode runs too.
// A job answers one picture, so the extra pictures of count > 1 are not sent over IPC.
import { runPipeline as runEngine, type PipelineRun } from '@loupe/runtime-node';

export type { PipelineRun } from '@loupe/runtime-node';

export async function runPipeline(run: PipelineRun) {
  const { images: _, ...outcome } = await runEngine(run);
  return outcome;
}
