// The child's run path is runtime-node's runPipeline: the CLI's in-process mode runs the same one.
export { runPipeline, type PipelineOutcome, type PipelineRun } from '@loupe/runtime-node';
