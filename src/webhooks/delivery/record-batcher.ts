import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttemptRecord, ClaimedDelivery, DeliveryStore, Disposition } from './delivery.store.js';

interface Pending {
  item: { delivery: ClaimedDelivery; attempt: AttemptRecord; next: Disposition };
  resolve: (recorded: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the attempts that finish within the same moment and records them in one statement: under load one round
 * trip for up to `max` deliveries instead of one each; alone, an attempt waits only for the next turn of the event
 * loop.
 */
export class RecordBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: DeliveryStore,
    private readonly em: () => EntityManager,
    private readonly max = 100,
  ) {}

  record(delivery: ClaimedDelivery, attempt: AttemptRecord, next: Disposition): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ item: { delivery, attempt, next }, resolve, reject });
      if (this.queue.length >= this.max) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.max);
    if (!batch.length) return;
    if (this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    try {
      const recorded = await this.store.recordMany(
        this.em(),
        batch.map((p) => p.item),
      );
      for (const p of batch) p.resolve(recorded.has(p.item.delivery.id));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
