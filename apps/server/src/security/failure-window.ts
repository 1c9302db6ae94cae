/**
 * Failed attempts per client in fixed windows: after `max` failures a client is blocked until
 * its window ends. Entries of ended windows are swept, so a flood of distinct addresses cannot
 * grow the map without bound for longer than one window.
 */
export class FailureWindow {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try again; 0 when it is not blocked. */
  blockedFor(client: string): number {
    const entry = this.live(client);
    if (!entry || entry.count < this.max) return 0;
    return Math.max(1, Math.ceil((entry.resetAt - this.now()) / 1000));
  }

  record(client: string): void {
    const now = this.now();
    this.sweep(now);
    const entry = this.live(client);
    if (entry) entry.count++;
    else this.entries.set(client, { count: 1, resetAt: now + this.windowMs });
  }

  private live(client: string) {
    const entry = this.entries.get(client);
    if (entry && entry.resetAt <= this.now()) {
      this.entries.delete(client);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.windowMs;
    for (const [client, entry] of this.entries)
      if (entry.resetAt <= now) this.entries.delete(client);
  }
}
