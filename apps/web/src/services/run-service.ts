import {
  LoupeError,
  OPS,
  decidePlacement,
  estimateWork,
  type BrowserEp,
  type DiffusionModelInfo,
  type EditMetadata,
  type LocalDeviceInfo,
  type LocalMeasurements,
  type Mask,
  type ModelCost,
  type PlacementDecision,
  type PlacementMode,
  type RgbaImage,
  type ServerAvailability,
  type Size,
  type Step,
  type WorkerDiffusion,
} from '@loupe/shared';
import type { BrowserInference } from '../inference/client';
import { runInBrowser } from './browser-run';
import { runServerJob, type RunHooks, type ServerJobDeps } from './server-job';
import type { ThroughputStore } from './throughput-store';

export type { RunHooks };

/** What the app knows when it places a run: the user's choices, this device and the server. */
export interface RunContext {
  readonly mode: PlacementMode;
  /** A browser EP the user forces; null lets the policy pick. */
  readonly browserEp: BrowserEp | null;
  readonly device: LocalDeviceInfo;
  /** Null when the server is unreachable. */
  readonly server: ServerAvailability | null;
  /** Manifest entries: model sizes and FLOPs. */
  readonly models: readonly ModelCost[];
  /** This browser's measured speeds (the throughput store); absent: the priors. */
  readonly measured?: LocalMeasurements;
  /** Models already in this browser's Cache Storage. */
  readonly cachedModels?: readonly string[];
  /** The user chose "Run anyway" for an edit over this device's memory budget. */
  readonly acceptOverBudget?: boolean;
  /**
   * The server's ready diffusion folders (GET /api/models): what a generative step's parts
   * weigh for placement, and what the browser worker builds its sessions from.
   */
  readonly diffusion?: readonly DiffusionModelInfo[];
}

/** Exactly what runs: these steps, in order, on this picture. */
export interface RunRequest {
  /** Not sent when the first step makes its own picture (`generate`): it only sizes the plan. */
  readonly image: RgbaImage;
  readonly steps: readonly Step[];
  /**
   * The file `image` was decoded from, when it is exactly that decode and the server reads the
   * same pixels from it (`SourceImage.upload`): a server run sends it instead of a PNG re-encode.
   */
  readonly original?: Blob;
  /** Where the first step may change the picture, when it takes a mask (inpaint, erase); `image`'s size. */
  readonly mask?: Mask;
}

/** What placement is asked about: a picture's size, the steps, and the original's bytes if it would be sent. */
export interface PlaceRequest {
  readonly size: Size;
  readonly steps: readonly Step[];
  readonly originalBytes?: number;
}

export interface RunResult {
  /** The last step's picture; a run returns no intermediate ones. */
  readonly image: RgbaImage;
  /** A last generative step with count > 1: its other pictures, in seed order after `image`. */
  readonly variations?: readonly RgbaImage[];
  readonly metadata: EditMetadata;
  readonly decision: PlacementDecision;
}

export interface RunServiceDeps extends ServerJobDeps {
  /** The inference client; called per run, so a worker terminated by a cancel is replaced. */
  browser(): Pick<BrowserInference, 'run' | 'interrupt'>;
  /** Where finished runs leave their measured speeds (compute, link, codecs). */
  readonly throughput?: Pick<ThroughputStore, 'recordCompute' | 'recordLink'>;
  /** Where the server serves a diffusion folder's files, ending in `/` (the worker fetches them). */
  diffusionFilesUrl?(id: string): string;
}

/**
 * Where these steps on a picture of this size go, and why.
 *
 * @example placeRun(context, { size: { width: 4000, height: 3000 }, steps })
 *   // { where: 'server', reason: 'Server: this edit needs ~3100 MB; …', … }
 */
export function placeRun(
  context: RunContext,
  { size, steps, originalBytes }: PlaceRequest,
): PlacementDecision {
  return decidePlacement({
    mode: context.mode,
    ...(context.browserEp ? { browserEp: context.browserEp } : {}),
    device: context.device,
    steps,
    image: { width: size.width, height: size.height },
    models: context.models,
    server: context.server,
    ...(context.measured ? { measured: context.measured } : {}),
    ...(context.cachedModels ? { cachedModels: context.cachedModels } : {}),
    ...(context.acceptOverBudget ? { acceptOverBudget: true } : {}),
    ...(originalBytes !== undefined ? { originalFileBytes: originalBytes } : {}),
    ...(context.diffusion ? { diffusion: context.diffusion } : {}),
  });
}

/** Whether the first step makes a new picture (`generate`): the run then sends no picture. */
export function makesPicture(steps: readonly Step[]): boolean {
  const first = steps[0];
  return first !== undefined && OPS[first.op].inputs.image === 'none';
}

/**
 * The diffusion folder the steps' generative step runs, as the browser worker needs it; none
 * for a pipeline without one. A folder the context does not list is the worker's to refuse.
 */
export function workerDiffusion(
  context: RunContext,
  steps: readonly Step[],
  filesUrl: (id: string) => string,
): WorkerDiffusion | undefined {
  const generative = steps.find((s) => OPS[s.op].progressUnit === 'step');
  if (!generative) return undefined;
  const id = (generative.params as { model: string }).model;
  const info = context.diffusion?.find((f) => f.id === id);
  return info ? { info, filesUrl: filesUrl(id) } : undefined;
}

export interface RunService {
  /** The decision `run` would make for this request, for showing before it runs. */
  place(context: RunContext, request: PlaceRequest): PlacementDecision;
  /**
   * Places exactly this request and runs it there: one worker call or one server job for all
   * its steps. Aborting the signal stops the work at once (worker terminated, job deleted) and
   * rejects with CANCELLED; a placement that cannot run (a forced server that is down) rejects
   * with its error before anything is sent.
   */
  run(
    context: RunContext,
    request: RunRequest,
    hooks?: RunHooks & RunStartHook,
  ): Promise<RunResult>;
}

export interface RunStartHook {
  /** Called once placed, before any work: where it runs and why. */
  onPlaced?(decision: PlacementDecision): void;
}

/**
 * The one way a picture gets edited in this app: the editor's Run, a re-run of earlier steps,
 * recomputing a picture history did not keep, and every file of a batch go through here.
 *
 * @example
 * const runs = createRunService({ browser: browserInference, api, encode: encodePng, decode: decodeToRgba });
 * const { image, decision } = await runs.run(context, { image: photo, steps }, { signal });
 */
export function createRunService(deps: RunServiceDeps): RunService {
  const { throughput } = deps;
  const server: ServerJobDeps = {
    ...deps,
    ...(throughput ? { measure: throughput.recordLink.bind(throughput) } : {}),
  };
  return {
    place: placeRun,
    async run(context, request, hooks = {}) {
      const { image, steps, original, mask } = request;
      const decision = placeRun(context, {
        size: image,
        steps,
        ...(original ? { originalBytes: original.size } : {}),
      });
      if (decision.error) throw new LoupeError(decision.error, decision.reason);
      hooks.onPlaced?.(decision);
      // A pipeline that makes its picture sends none (the server refuses one it would ignore).
      const input = makesPicture(steps) ? null : image;
      if (decision.where === 'server')
        return { ...(await runServerJob(server, input, steps, hooks, original, mask)), decision };
      const diffusion = deps.diffusionFilesUrl
        ? workerDiffusion(context, steps, deps.diffusionFilesUrl)
        : undefined;
      const out = await runInBrowser(deps.browser(), decision.ep, input, steps, hooks, {
        ...(mask ? { mask } : {}),
        ...(diffusion ? { diffusion } : {}),
      });
      // The worker times compute alone (after its sessions are made), on the EP that ran it.
      throughput?.recordCompute(
        out.metadata.ep === 'webgpu' ? 'webgpu' : 'wasm',
        estimateWork(steps, image, context.models),
        out.metadata.timings.inferMs / 1000,
      );
      return { ...out, decision };
    },
  };
}
