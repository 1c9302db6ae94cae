// The child's run path is runtime-node's runPipeline, the one the CLI's in-process mode runs too.
export { runPipeline, type PipelineRun } from '@loupe/runtime-node';
