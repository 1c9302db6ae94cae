import type { ErrorCode } from '../api/error-codes';

/** Facts a reason's text may quote. */
export interface ReasonContext {
  readonly adapter: string;
  readonly needMb: number;
  readonly budgetMb: number;
  readonly gflop: number;
  readonly deviceClass: string;
  readonly server: 'unreachable' | 'not ready' | 'at capacity';
}

/**
 * Why an edit runs where it does. Each text starts with where it runs, as the UI shows it
 * ("Server: this device has no hardware WebGPU"); tests assert the codes, people read the text.
 */
export const PLACEMENT_REASONS = {
  'forced-server': () => 'Server: you chose Server',
  'forced-server-unavailable': (c) =>
    `Server: you chose Server, but it is ${c.server} — choose Auto or Browser`,
  'forced-browser': (c) => `Browser (WebGPU): you chose Browser; adapter ${c.adapter}`,
  'forced-browser-wasm': (c) =>
    `Browser (WASM): you chose Browser; ${c.adapter === 'none' ? 'this browser has no WebGPU' : `WebGPU adapter ${c.adapter} is slower than WASM`}`,
  'forced-browser-over-budget': (c) =>
    `Browser: you chose Browser, but this edit needs ~${c.needMb} MB and this device can spare ~${c.budgetMb} MB; it may fail`,
  'server-unavailable': (c) =>
    `Browser: the server is ${c.server}, so this edit runs on this device`,
  'server-unavailable-over-budget': (c) =>
    `Browser: the server is ${c.server}; this edit needs ~${c.needMb} MB and this device can spare ~${c.budgetMb} MB, so it may fail`,
  'over-budget': (c) =>
    `Server: this edit needs ~${c.needMb} MB; this device can spare ~${c.budgetMb} MB`,
  'light-edit': () => 'Browser: a light edit is quicker here than a round trip to the server',
  'no-webgpu': () => 'Server: this browser has no WebGPU',
  'software-webgpu': (c) => `Server: this device has no hardware WebGPU (${c.adapter} is software)`,
  'heavy-for-device': (c) =>
    `Server: this edit is heavy (~${c.gflop} GFLOP) for a ${c.deviceClass} device`,
  'hardware-webgpu': (c) => `Browser (WebGPU): ${c.adapter}`,
} as const satisfies Record<string, (c: ReasonContext) => string>;

export type PlacementReasonCode = keyof typeof PLACEMENT_REASONS;

/** The error a blocked placement reports, by what is wrong with the server. */
export const SERVER_UNAVAILABLE_ERRORS = {
  unreachable: 'SERVER_UNREACHABLE',
  'not ready': 'NOT_READY',
  'at capacity': 'QUEUE_FULL',
} as const satisfies Record<ReasonContext['server'], ErrorCode>;
