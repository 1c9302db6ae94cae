// The child-process protocol is defined once, as zod schemas, in @loupe/shared
// (protocol/child-messages.ts) and parsed on receipt at both ends (worker-process.ts, worker-main.ts).
// The server's modules take its types from here, so they share one import site.
export type {
  DiffusionFolderRef,
  EncodedTransport,
  EpChoice,
  JobOutcome,
  ModelResidencySnapshot,
  OutputEncoding,
  PixelTransport,
  PreviewImage,
  ResidencyAction,
  WorkerInit,
} from '@loupe/shared';
