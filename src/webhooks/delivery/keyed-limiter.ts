interface KeyState {
  inFlight: number;
  limit: number;
  /** Smoothed and best recent send time of this key's receiver, ms. */
  avgMs: number;
  bestMs: number;
}

/**
 * Work in flight per key (a subscription), with a limit that adapts to the receiver: it starts at `base`, grows by
 * one each time a send finishes while the key was at its limit and the receiver's latency is still near its best
 * (a slow but healthy receiver gets the concurrency its latency needs), backs off by one when latency climbs, and
 * halves on a failure or timeout. Never above `max` nor below one; the claim query skips keys at their limit.
 *
 * With `total` (all the engine's slots) the share is work-conserving and fair: a key alone in flight may use all
 * slots but a reserve (`total / 8`, so a newcomer starts at once); as soon as other keys have work in flight each
 * gets at most an equal share (`total / keys in flight`), and the busy one gives slots back as its sends finish.
 */
export class KeyedLimiter {
  private readonly keys = new Map<string, KeyState>();
  /** How many keys have a send in flight: kept as it changes, so a share costs O(1). */
  private activeKeys = 0;

  constructor(
    private readonly base: number,
    private readonly max: number = base,
    private readonly total?: number,
  ) {}

  tryAcquire(key: string): boolean {
    const s = this.state(key);
    if (s.inFlight >= this.effective(s)) return false;
    if (s.inFlight === 0) this.activeKeys++;
    s.inFlight++;
    return true;
  }

  /** The limit that applies now: the learnt one, within this key's share of all slots. */
  private effective(s: KeyState): number {
    if (this.total === undefined) return s.limit;
    const others = this.activeKeys - (s.inFlight > 0 ? 1 : 0);
    const share =
      others === 0 ? this.total - Math.max(1, Math.floor(this.total / 8)) : Math.floor(this.total / (others + 1));
    return Math.max(1, Math.min(s.limit, share));
  }

  /** One send of `key` finished: `sample` says how long it took and whether it succeeded (none: not sent). */
  release(key: string, sample?: { ms: number; ok: boolean }): void {
    const s = this.keys.get(key);
    if (!s) return;
    const wasFull = s.inFlight >= this.effective(s);
    if (s.inFlight > 0) {
      s.inFlight--;
      if (s.inFlight === 0) this.activeKeys--;
    }
    if (!sample) return;
    if (!sample.ok) {
      s.limit = Math.max(1, Math.floor(s.limit / 2));
      return;
    }
    s.avgMs = s.avgMs ? 0.8 * s.avgMs + 0.2 * sample.ms : sample.ms;
    // The best time drifts up slowly, so a receiver that became slower for good is judged against its new normal.
    s.bestMs = Math.min(sample.ms, s.bestMs * 1.01);
    // Slower than twice its best and by more than 200 ms: the receiver is queueing, not just jittering.
    if (s.avgMs > Math.max(2 * s.bestMs, s.bestMs + 200)) s.limit = Math.max(1, s.limit - 1);
    else if (wasFull) s.limit = Math.min(this.max, s.limit + 1);
  }

  limitOf(key: string): number {
    return this.keys.get(key)?.limit ?? this.base;
  }

  /** Keys at their limit: the claim query skips them. */
  saturated(): string[] {
    return [...this.keys].filter(([, s]) => s.inFlight > 0 && s.inFlight >= this.effective(s)).map(([key]) => key);
  }

  private state(key: string): KeyState {
    let s = this.keys.get(key);
    if (!s) {
      // Idle keys are forgotten once the map grows large; a busy key always keeps what it learnt.
      if (this.keys.size >= 10_000) for (const [k, v] of this.keys) if (v.inFlight === 0) this.keys.delete(k);
      s = { inFlight: 0, limit: this.base, avgMs: 0, bestMs: Number.POSITIVE_INFINITY };
      this.keys.set(key, s);
    }
    return s;
  }
}
