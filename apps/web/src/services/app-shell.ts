import {
  LoupeError,
  PROTOCOL_VERSION,
  ShellResponseSchema,
  receive,
  type ShellRequest,
  type SkipWaitingMessage,
} from '@loupe/shared';

/** Where the offline app shell stands, as this page sees it. */
export type ShellState =
  /** Service workers are missing here (plain http on a LAN address, some private modes) or refused. */
  | { kind: 'unavailable'; reason: string }
  /** `vite dev`: no service worker, so every edit of the code shows at once. */
  | { kind: 'development' }
  /** Registered, not active yet: the shell is still being downloaded. */
  | { kind: 'installing' }
  /** The active worker's answer: how much of its build is in Cache Storage. */
  | { kind: 'active'; version: string; cached: number; total: number };

/** What the page reads to draw the update notice; a new object whenever anything changes. */
export interface ShellSnapshot {
  /** A new build is installed and waits for `applyUpdate` (never applied mid-edit by itself). */
  readonly updateReady: boolean;
}

export interface AppShellOptions {
  /** False in development builds: then nothing is registered. */
  readonly enabled: boolean;
  /** The app's base URL: the worker's scope; the script is `<base>sw.js`. */
  readonly base: string;
  readonly reload: () => void;
}

/**
 * The page's side of the service worker: registration, the shell's state, and the update
 * flow (a new build waits; `applyUpdate` lets it take over and reloads once it has).
 * Every method is safe without service worker support: the app then simply runs online.
 */
export class AppShell {
  private snapshot: ShellSnapshot = { updateReady: false };
  private readonly listeners = new Set<() => void>();
  private failure: string | undefined;
  private registration: ServiceWorkerRegistration | undefined;
  private reloadOnTakeover = false;
  private nextId = 0;

  constructor(
    private readonly container: ServiceWorkerContainer | undefined,
    private readonly options: AppShellOptions,
  ) {}

  /** Registers the worker and follows it; call once the page has loaded (it downloads the shell). */
  async register(): Promise<void> {
    const { container, options } = this;
    if (!container || !options.enabled) return;
    container.addEventListener('controllerchange', () => {
      this.takenOver();
      this.changed();
    });
    try {
      // Typed as always a registration; a blocked register (test harnesses do it) gives none.
      const registration: ServiceWorkerRegistration | undefined = await container.register(
        `${options.base}sw.js`,
        { scope: options.base },
      );
      if (!registration) throw new Error('service worker registration was blocked');
      this.registration = registration;
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => this.changed());
        this.changed();
      });
      this.changed();
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
      this.changed();
    }
  }

  getSnapshot = (): ShellSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Lets the waiting build take over; the page reloads when it has: on `controllerchange`, or
   * when the new worker reports itself activated, whichever comes first (the page must not be
   * left on the old build because one of the two signals did not reach it).
   */
  applyUpdate(): void {
    const waiting = this.registration?.waiting;
    if (!waiting) return;
    this.reloadOnTakeover = true;
    const onState = () => {
      if (waiting.state !== 'activated') return;
      waiting.removeEventListener('statechange', onState);
      this.takenOver();
    };
    waiting.addEventListener('statechange', onState);
    waiting.postMessage({ type: 'skip-waiting' } satisfies SkipWaitingMessage);
  }

  /** Reloads once into the build that took over, if the user asked for it. */
  private takenOver(): void {
    if (!this.reloadOnTakeover) return;
    this.reloadOnTakeover = false;
    this.options.reload();
  }

  /** Asks the active worker how much of its shell is cached (the caches, not a guess). */
  async status(signal?: AbortSignal): Promise<ShellState> {
    const { container, options } = this;
    if (!container)
      return { kind: 'unavailable', reason: 'this browser offers no service worker here' };
    if (!options.enabled) return { kind: 'development' };
    if (this.failure) return { kind: 'unavailable', reason: this.failure };
    const active = (await container.getRegistration(options.base))?.active;
    if (!active) return { kind: 'installing' };
    return this.ask(active, signal);
  }

  private ask(worker: ServiceWorker, signal?: AbortSignal): Promise<ShellState> {
    const id = String(++this.nextId);
    const channel = new MessageChannel();
    return new Promise<ShellState>((resolve, reject) => {
      const done = () => {
        channel.port1.close();
        signal?.removeEventListener('abort', abort);
      };
      const abort = () => {
        done();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      channel.port1.onmessage = (event: MessageEvent<unknown>) => {
        done();
        const receipt = receive(ShellResponseSchema, event.data, 'INTERNAL');
        if (!receipt.ok) return reject(receipt.error);
        const answer = receipt.message;
        if (answer.type === 'error') return reject(LoupeError.fromPayload(answer.error));
        const { version, cached, total } = answer;
        resolve({ kind: 'active', version, cached, total });
      };
      const request: ShellRequest = { v: PROTOCOL_VERSION, id, type: 'shell-status' };
      worker.postMessage(request, [channel.port2]);
    });
  }

  private changed(): void {
    this.snapshot = {
      updateReady: Boolean(this.registration?.waiting && this.container?.controller),
    };
    for (const listener of this.listeners) listener();
  }
}

/** The app's one shell, over this browser's service workers when it has them. */
export const appShell = new AppShell(
  typeof navigator !== 'undefined' && 'serviceWorker' in navigator
    ? navigator.serviceWorker
    : undefined,
  {
    enabled: import.meta.env.PROD,
    base: import.meta.env.BASE_URL,
    reload: () => location.reload(),
  },
);

/** True when the shell is wholly cached, so a reload with the server down still loads the app. */
export function isShellKept(state: ShellState | undefined): boolean {
  return state?.kind === 'active' && state.cached === state.total;
}
