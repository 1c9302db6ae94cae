import {
  LoupeError,
  decidePlacement,
  type BrowserEp,
  type EditMetadata,
  type LocalDeviceInfo,
  type ModelCost,
  type PlacementDecision,
  type PlacementMode,
  type RgbaImage,
  type ServerAvailability,
  type Size,
  type Step,
} from '@loupe/shared';
import type { BrowserInference } from '../inference/client';
import { runInBrowser } from './browser-run';
import { runServerJob, type RunHooks, type ServerJobDeps } from './server-job';

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
}

/** Exactly what runs: these steps, in order, on this picture. */
export interface RunRequest {
  readonly image: RgbaImage;
  readonly steps: readonly Step[];
}

export interface RunResult {
  /** The last step's picture; a run returns no intermediate ones. */
  readonly image: RgbaImage;
  readonly metadata: EditMetadata;
  readonly decision: PlacementDecision;
}

export interface RunServiceDeps extends ServerJobDeps {
  /** The inference client; called per run, so a worker terminated by a cancel is replaced. */
  browser(): Pick<BrowserInference, 'run' | 'dispose'>;
}

/**
 * Where these steps on a picture of this size go, and why.
 *
 * @example placeRun(context, { size: { width: 4000, height: 3000 }, steps })
 *   // { where: 'server', reason: 'Server: this edit needs ~3100 MB; …', … }
 */
export function placeRun(
  context: RunContext,
  { size, steps }: { size: Size; steps: readonly Step[] },
): PlacementDecision {
  return decidePlacement({
    mode: context.mode,
    ...(context.browserEp ? { browserEp: context.browserEp } : {}),
    device: context.device,
    steps,
    image: { width: size.width, height: size.height },
    models: context.models,
    server: context.server,
  });
}

export interface RunService {
  /** The decision `run` would make for this request, for showing before it runs. */
  place(context: RunContext, request: { size: Size; steps: readonly Step[] }): PlacementDecision;
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
  return {
    place: placeRun,
    async run(context, request, hooks = {}) {
      const decision = placeRun(context, { size: request.image, steps: request.steps });
      if (decision.error) throw new LoupeError(decision.error, decision.reason);
      hooks.onPlaced?.(decision);
      const out =
        decision.where === 'server'
          ? await runServerJob(deps, request.image, request.steps, hooks)
          : await runInBrowser(deps.browser(), decision.ep, request.image, request.steps, hooks);
      return { ...out, decision };
    },
  };
}
