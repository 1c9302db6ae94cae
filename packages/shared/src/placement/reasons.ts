import type { ErrorCode } from '../api/error-codes';

/** Facts a reason's text may quote. */
export interface ReasonContext {
  readonly adapter: string;
  readonly needMb: number;
  readonly budgetMb: number;
  readonly server: 'unreachable' | 'not ready' | 'at capacity';
  /** The browser EP in the user's words, 'WebGPU' or 'WASM'. */
  readonly engine: string;
  /** Why the browser runs on that engine, e.g. "this browser has no WebGPU"; '' when nothing to say. */
  readonly engineWhy: string;
  /** Predicted times, e.g. "14 s" ('' when that side cannot run it). */
  readonly browserTime: string;
  readonly serverTime: string;
  /** What the server would refuse, e.g. "the result, 24000 × 16000 (384 MP), is over …"; '' when nothing. */
  readonly excess: string;
  /** The browser could run it (memory), and the server could (up, within its limits). */
  readonly fitsHere: boolean;
  readonly serverCan: boolean;
  /** Why a generative edit cannot run in this browser (`generativeBrowserProblem`); '' when it can. */
  readonly generativeWhy: string;
  /**
   * The work of a heavy (`browserNeedsGpu`) edit, e.g. "2 tiles of 256², 665 GFLOP"; '' for the
   * rest, whose cost the times already say.
   */
  readonly heavyWork: string;
}

/**
 * Why an edit runs where it does. Each text starts with where it runs, as the UI shows it
 * ("Server: Server ≈ 2 s, this device ≈ 14 s (…)"), or "Neither side" when it cannot run;
 * tests assert the codes, people read the text.
 */
export const PLACEMENT_REASONS = {
  'forced-server': () => 'Server: you chose Server',
  'forced-server-unavailable': (c) =>
    `Server: you chose Server, but it is ${c.server} — choose Auto or Browser`,
  'forced-server-over-limit': (c) =>
    `Server: you chose Server, but ${c.excess}${c.fitsHere ? ' — choose Auto or Browser' : ''}`,
  'forced-browser': (c) => `Browser (WebGPU): you chose Browser; adapter ${c.adapter}`,
  'forced-browser-wasm': (c) =>
    `Browser (WASM): you chose Browser; ${c.adapter === 'none' ? 'this browser has no WebGPU' : `WebGPU adapter ${c.adapter} is slower than WASM`}`,
  'forced-browser-too-big': (c) =>
    `Browser: you chose Browser, but this edit needs ~${c.needMb} MB and this device can spare ~${c.budgetMb} MB${c.serverCan ? ' — choose Auto or Server' : ''}`,
  'over-budget-accepted': (c) =>
    `Browser: running it here anyway; this edit needs ~${c.needMb} MB and this device can spare ~${c.budgetMb} MB, so it may fail`,
  'server-unavailable': (c) =>
    `Browser: the server is ${c.server}, so this edit runs on this device`,
  'server-unavailable-too-big': (c) =>
    `Browser: the server is ${c.server}, and this edit needs ~${c.needMb} MB where this device can spare ~${c.budgetMb} MB`,
  'too-big-for-both': (c) =>
    `Neither side: this edit needs ~${c.needMb} MB where this device can spare ~${c.budgetMb} MB, and ${c.excess}`,
  'over-budget': (c) =>
    `Server: this edit needs ~${c.needMb} MB; this device can spare ~${c.budgetMb} MB`,
  'over-server-limit': (c) => `Browser: ${c.excess}`,
  'generative-on-server': (c) => `Server: ${c.generativeWhy}`,
  'forced-browser-generative': (c) =>
    `Browser: you chose Browser, but ${c.generativeWhy}${c.serverCan ? ' — choose Auto or Server' : ''}`,
  'generative-neither': (c) =>
    `Neither side: ${c.generativeWhy}, and ${c.excess || `the server is ${c.server}`}`,
  'heavy-on-server': (c) =>
    `Server: this edit is ${c.heavyWork}, too heavy for ${c.engine} on this device (${c.engineWhy || 'no hardware GPU'}); Server ≈ ${c.serverTime}, this device ≈ ${c.browserTime}`,
  'quicker-on-server': (c) =>
    `Server: Server ≈ ${c.serverTime}, this device ≈ ${c.browserTime} (${c.engine}${c.engineWhy ? `: ${c.engineWhy}` : ''})${c.heavyWork ? `; ${c.heavyWork}` : ''}`,
  'quicker-here': (c) =>
    `Browser (${c.engine}): this device ≈ ${c.browserTime}, Server ≈ ${c.serverTime}${c.engineWhy ? ` (${c.engineWhy})` : ''}${c.heavyWork ? `; ${c.heavyWork}` : ''}`,
} as const satisfies Record<string, (c: ReasonContext) => string>;

export type PlacementReasonCode = keyof typeof PLACEMENT_REASONS;

/** The error a blocked placement reports, by what is wrong with the server. */
export const SERVER_UNAVAILABLE_ERRORS = {
  unreachable: 'SERVER_UNREACHABLE',
  'not ready': 'NOT_READY',
  'at capacity': 'QUEUE_FULL',
} as const satisfies Record<ReasonContext['server'], ErrorCode>;
