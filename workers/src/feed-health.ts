/**
 * Whether a feed's credential works, as this worker last saw it. While a feed is blocked (expired secret, missing
 * consent), every window of it retries on its own timer; without this gate each retry would ask Entra for a token.
 * With it, one probe per feed per `probeEveryMs` (or at once when the credential changed) asks; the other windows
 * get the last answer. When a probe succeeds the gate opens and every window's next retry goes through.
 */
export class FeedHealth {
  private readonly blocked = new Map<string, { error: unknown; at: number; credential: string }>();
  private readonly probes = new Map<string, Promise<unknown>>();

  constructor(readonly probeEveryMs = 60_000, private readonly now: () => number = Date.now) {}

  /**
   * Runs `probe` unless the feed is blocked with this same credential and was probed less than `probeEveryMs` ago;
   * then throws the error that blocked it. Concurrent calls share one probe. `isBlocking` says which failures block
   * (a person must act); others pass through and leave the gate as it was.
   */
  async check<T>(feed: string, credential: string, probe: () => Promise<T>, isBlocking: (err: unknown) => boolean): Promise<T> {
    const last = this.blocked.get(feed);
    if (last && last.credential === credential && this.now() - last.at < this.probeEveryMs) throw last.error;
    const running = this.probes.get(feed) as Promise<T> | undefined;
    if (running) return running;
    const attempt = (async () => {
      try {
        const value = await probe();
        this.blocked.delete(feed);
        return value;
      } catch (err) {
        if (isBlocking(err)) this.blocked.set(feed, { error: err, at: this.now(), credential });
        throw err;
      } finally {
        this.probes.delete(feed);
      }
    })();
    this.probes.set(feed, attempt);
    return attempt;
  }

  isBlocked(feed: string): boolean {
    return this.blocked.has(feed);
  }
}
