import { z } from 'zod';
import type { ErrorCode } from '../api/error-codes';
import { LoupeError } from '../api/loupe-error';
import { PROTOCOL_VERSION } from './version';

/**
 * The fields every message across a thread or process boundary starts with: the protocol
 * version it was built for and the id of the request it is, or answers.
 */
export const envelope = { v: z.literal(PROTOCOL_VERSION), id: z.string().min(1) };

/**
 * The answer to a message of another protocol version, naming both versions. Its shape is
 * frozen: every version reads it, whichever version sent it. Never change it, never add to it.
 *
 * @example { v: 2, type: 'incompatible', id: '7', received: 1,
 *   message: 'Received protocol 1; this side speaks protocol 2' }
 */
export const IncompatibleMessageSchema = z.object({
  /** The version the refusing side speaks. */
  v: z.number().int(),
  type: z.literal('incompatible'),
  /** The id of the refused message ('' when it had none). */
  id: z.string(),
  /** The version the refused message carried; null when it carried none. */
  received: z.number().int().nullable(),
  message: z.string(),
});
export type IncompatibleMessage = z.infer<typeof IncompatibleMessageSchema>;

/** Just enough of any message to tell its version and what it answers, before trusting the rest. */
const HeadSchema = z.object({
  /** Missing in a message from a build older than versioning: that too is another version. */
  v: z.number().int().optional(),
  type: z.string(),
  id: z.string().optional(),
});

/** A received message: the parsed message, or why it was refused (and what to answer, if anything). */
export type Receipt<T> =
  | { ok: true; message: T }
  | {
      ok: false;
      /** The id the message carried, so the call it belongs to can fail with `error`. */
      id: string | undefined;
      error: LoupeError;
      /** Set when the sender speaks another version: send this back so its side fails fast too. */
      reply?: IncompatibleMessage;
    };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Parses a message on receipt. Another version is refused by its `v` before its fields are
 * read (they may mean something else there); an `incompatible` answer from the other side
 * becomes an INCOMPATIBLE_PROTOCOL error; anything else that fails the schema is refused with
 * the parse issue and `invalidCode` (INVALID_REQUEST for requests, INTERNAL for answers).
 *
 * @example
 * const receipt = receive(WorkerRequestSchema, event.data, 'INVALID_REQUEST');
 * if (!receipt.ok && receipt.reply) post(receipt.reply);
 */
export function receive<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  invalidCode: ErrorCode,
): Receipt<z.output<S>> {
  const head = HeadSchema.safeParse(raw);
  if (!head.success) {
    return {
      ok: false,
      id: undefined,
      error: new LoupeError(
        invalidCode,
        `Not a Loupe protocol message: ${describeIssues(head.error)}`,
      ),
    };
  }
  const { v, type, id } = head.data;
  if (type === 'incompatible') {
    const refusal = IncompatibleMessageSchema.safeParse(raw);
    const theirs = refusal.success ? refusal.data.v : v;
    return {
      ok: false,
      id: id || undefined,
      error: new LoupeError(
        'INCOMPATIBLE_PROTOCOL',
        `The other side speaks protocol ${theirs} and refused protocol ${PROTOCOL_VERSION}: the two come from different builds`,
      ),
    };
  }
  if (v !== PROTOCOL_VERSION) return refuseVersion(v ?? null, id);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      id,
      error: new LoupeError(
        invalidCode,
        `Invalid '${type}' message: ${describeIssues(parsed.error)}`,
      ),
    };
  }
  return { ok: true, message: parsed.data };
}

function refuseVersion(received: number | null, id: string | undefined): Receipt<never> {
  const message = `Received protocol ${received ?? '(none)'}; this side speaks protocol ${PROTOCOL_VERSION}: the two come from different builds`;
  return {
    ok: false,
    id: id || undefined,
    error: new LoupeError('INCOMPATIBLE_PROTOCOL', message),
    reply: { v: PROTOCOL_VERSION, type: 'incompatible', id: id ?? '', received, message },
  };
}
