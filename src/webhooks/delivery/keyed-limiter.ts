/** Counts work in flight per key (a subscription), so one slow receiver cannot take every slot. */
export class KeyedLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perKey: number) {}

  tryAcquire(key: string): boolean {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= this.perKey) return false;
    this.inFlight.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }

  /** Keys at their limit: the claim query skips them. */
  saturated(): string[] {
    return [...this.inFlight].filter(([, n]) => n >= this.perKey).map(([key]) => key);
  }
}
