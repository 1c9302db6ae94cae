import type { AbortSignalLike } from '../model-runner';

/** The part of `AbortController` a registry uses; shared has no DOM or Node types to name it. */
export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/**
 * The runs a host is serving, by request id, so that a `cancel` naming one fires its signal.
 * A run is cancellable from the moment it is registered (while it waits its turn, too) until
 * its task settles.
 *
 * @example const runs = new RunRegistry(() => new AbortController());
 *   runs.run(req.id, (signal) => edit(req, signal)); // later: runs.cancel(req.id)
 */
export class RunRegistry<C extends AbortControllerLike> {
  private readonly runs = new Map<string, C>();

  constructor(private readonly newController: () => C) {}

  /** Runs `task` as run `id`; the signal it gets fires on `cancel(id)`. */
  async run<T>(id: string, task: (signal: C['signal']) => Promise<T>): Promise<T> {
    const controller = this.newController();
    this.runs.set(id, controller);
    try {
      return await task(controller.signal);
    } finally {
      // A later run under the same id keeps its own entry.
      if (this.runs.get(id) === controller) this.runs.delete(id);
    }
  }

  /** Fires run `target`'s signal; false when no such run is in progress (finished, or never was). */
  cancel(target: string): boolean {
    const controller = this.runs.get(target);
    controller?.abort();
    return controller !== undefined;
  }

  get size(): number {
    return this.runs.size;
  }
}
