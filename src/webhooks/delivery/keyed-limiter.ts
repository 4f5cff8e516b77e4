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
 * halves on a failure or timeout. Never above `max` (a share of all slots, so one receiver cannot take them all) nor
 * below one; the claim query skips keys at their limit, which keeps endpoints fair with each other.
 */
export class KeyedLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly base: number,
    private readonly max: number = base,
  ) {}

  tryAcquire(key: string): boolean {
    const s = this.state(key);
    if (s.inFlight >= s.limit) return false;
    s.inFlight++;
    return true;
  }

  /** One send of `key` finished: `sample` says how long it took and whether it succeeded (none: not sent). */
  release(key: string, sample?: { ms: number; ok: boolean }): void {
    const s = this.keys.get(key);
    if (!s) return;
    const wasFull = s.inFlight >= s.limit;
    s.inFlight = Math.max(0, s.inFlight - 1);
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
    return [...this.keys].filter(([, s]) => s.inFlight >= s.limit).map(([key]) => key);
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
