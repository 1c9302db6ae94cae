/**
 * A mistake in the command line or a pipeline file, found before anything ran: exit code 2.
 * `field` names what was wrong the way the user wrote it (`--param scale`, `steps.1.op`).
 *
 * @example throw new UsageError("unknown op 'upscal'", '--op')
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
