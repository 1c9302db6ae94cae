// @loupe/runtime-node: Loupe on onnxruntime-node. `ort.ts` is the tree's only onnxruntime-node
// import; the rest is built on it: EP choice and probe, verified model files, the session pool
// (residency), the shared engine's ModelRunner and the one run path (runPipeline). Job logic and
// protocol stay with the caller.
export {
  createSession,
  cudaProviderInstalled,
  onnxruntimeVersion,
  ortBinaryDir,
  releaseSession,
  runSession,
  runTypedSession,
  sessionPorts,
  type OrtEp,
  type OrtSession,
  type SessionOptions,
  type SessionPort,
} from './ort';
// The type lives in @loupe/shared (both runtimes exchange it); re-exported for older imports.
export type { TypedTensor } from '@loupe/shared';
export { DEFAULT_SETTINGS, settingsLabel, type OrtSettings } from './settings';
export { cudaDeviceLabel, currentDevice, useDevice } from './device';
export { chooseEp, probeEp, vulkanDrivers } from './ep-select';
export { buildProbeModel, probeError, probeInput, PROBE_CHANNELS } from './probe-model';
export { readManifest, readVerifiedModel } from './model-files';
export { ModelResidency } from './residency';
export { SessionCache, type ModelSource } from './session-cache';
export type { SessionPool } from './session-pool';
export { EpFailure, SessionRunner } from './session-runner';
export {
  DiffusionSessions,
  type DiffusionFolderPaths,
  type DiffusionPartCounters,
  type DiffusionPartSnapshot,
  type DiffusionSessionsOptions,
} from './diffusion-sessions';
export { readDiffusionAssets } from './diffusion/read-assets';
export { createInpainter } from './inpainter';
export { runPipeline, type PipelineOutcome, type PipelineRun } from './run-pipeline';
