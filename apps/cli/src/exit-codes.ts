/** What scripts may rely on: every run of `loupe` ends with one of these. */
export const EXIT = {
  /** Everything asked for is done (skipped outputs that already existed count as done). */
  ok: 0,
  /** At least one file failed; the others were done. */
  someFailed: 1,
  /** Nothing ran: an unknown op, a bad param or flag, no inputs. */
  usage: 2,
  /** Interrupted (Ctrl-C): finished outputs stay, nothing partial does. */
  interrupted: 130,
} as const;
