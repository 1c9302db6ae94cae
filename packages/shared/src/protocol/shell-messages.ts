import { z } from 'zod';
import { ErrorPayloadSchema } from '../api/loupe-error';
import { envelope } from './envelope';

/**
 * Messages between the web app and its service worker, which keeps the app shell for offline
 * use. The page asks the active worker how much of its shell is in Cache Storage; the answer
 * names the request it answers (`id`), or is `error` or `incompatible` (see envelope.ts).
 */
export const ShellRequestSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('shell-status') }),
]);
export type ShellRequest = z.infer<typeof ShellRequestSchema>;

export const ShellResponseSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('shell-status'),
    /** The build this worker precaches; its files live in the cache `loupe-shell-<version>`. */
    version: z.string().min(1),
    /** How many of its `total` shell files are in that cache now. */
    cached: z.number().int().nonnegative(),
    total: z.number().int().positive(),
  }),
  z.object({ ...envelope, type: z.literal('error'), error: ErrorPayloadSchema }),
]);
export type ShellResponse = z.infer<typeof ShellResponseSchema>;

/**
 * Page → waiting service worker: "take over now" (the user pressed Reload on "A new version is
 * ready"). Outside the envelope and frozen: a page of one build sends it to the worker of the
 * next, so every version must read it whatever PROTOCOL_VERSION says. Never change it.
 *
 * @example registration.waiting?.postMessage({ type: 'skip-waiting' })
 */
export const SkipWaitingMessageSchema = z.object({ type: z.literal('skip-waiting') });
export type SkipWaitingMessage = z.infer<typeof SkipWaitingMessageSchema>;
