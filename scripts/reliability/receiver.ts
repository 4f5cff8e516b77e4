import { createServer, type Server } from 'node:http';

/** A loopback receiver that counts each event id it is sent, and can answer 503, be down, or be slow. */
export class CountingReceiver {
  readonly seen = new Map<string, number>();
  mode: 'ok' | '503' = 'ok';
  delayMs = 0;
  port = 0;
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        setTimeout(() => {
          if (this.mode === '503') return void res.writeHead(503).end();
          const id = String(req.headers['x-sokohub-event-id'] ?? '');
          this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
          res.writeHead(200).end('ok');
        }, this.delayMs);
      });
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Refuses connections until started again on the same port. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Every event id received so far. */
  receivedIds(): string[] {
    return [...this.seen.keys()];
  }

  lostOf(ids: string[]): number {
    return ids.filter((id) => !this.seen.has(id)).length;
  }

  duplicatesOf(ids: string[]): number {
    return ids.reduce((sum, id) => sum + Math.max(0, (this.seen.get(id) ?? 0) - 1), 0);
  }
}
