import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { settledWithin } from '../common/settled-within.js';
import { AppConfig } from '../config/app-config.js';

/** What a channel's listener is told: each notification, and that some may have been missed. */
export interface ChannelListener {
  message(payload: string): void;
  /** The connection was lost (or is being replaced): notifications sent meanwhile are gone. */
  reset(): void;
}

/** How often the listening connection proves it is alive, and how long it may take to answer. */
const PING_MS = 5_000;
const PING_TIMEOUT_MS = 3_000;
const RETRY_MAX_MS = 10_000;

/**
 * One connection per instance that LISTENs on the channels asked for (PostgreSQL delivers a NOTIFY after its
 * transaction commits). `live` is true only while that connection is up, listening and answering its pings: a
 * memory kept on the strength of these notifications must not be trusted otherwise. On any failure every listener is
 * told to reset and the connection is made again, backing off up to 10 s.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly channels = new Map<string, ChannelListener[]>();
  private client?: pg.Client;
  private listening = false;
  private stopped = false;
  private retryMs = 500;
  private timer?: NodeJS.Timeout;

  constructor(private readonly config: AppConfig) {}

  get live(): boolean {
    return this.listening;
  }

  /** Registers a listener before the app starts (channels are listened to once connected). */
  listen(channel: string, listener: ChannelListener): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.channels.set(channel, [...(this.channels.get(channel) ?? []), listener]);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.channels.size) await this.connect();
  }

  /** The first of the shutdown hooks: no reconnection may outlive the app, whatever a later hook waits for. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.drop();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      // LISTEN is a session's: the server itself when DATABASE_URL is a transaction pooler.
      connectionString: this.config.database.directUrl ?? this.config.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: PING_TIMEOUT_MS,
      // A ping (or LISTEN) without an answer fails instead of waiting.
      query_timeout: PING_TIMEOUT_MS,
      application_name: 'sokohub-listener',
    });
    this.client = client;
    client.on('notification', (n) => {
      for (const l of this.channels.get(n.channel) ?? []) l.message(n.payload ?? '');
    });
    // A connection that fails after it was up: forget what it promised, then connect again.
    client.on('error', () => void this.lost(client));
    client.on('end', () => void this.lost(client));
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`listen ${channel}`);
      if (client !== this.client) return;
      this.listening = true;
      this.retryMs = 500;
      this.schedule(PING_MS);
    } catch (error) {
      this.logger.warn(`listening for database notifications failed (${String(error)}); retrying`);
      await this.lost(client);
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void (this.listening ? this.ping() : this.connect()), ms);
    this.timer.unref();
  }

  private async ping(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.query('select 1');
      this.schedule(PING_MS);
    } catch {
      await this.lost(client);
    }
  }

  /** The connection `client` is no longer to be trusted: listeners reset at once, a new one is made later. */
  private async lost(client: pg.Client): Promise<void> {
    if (client !== this.client) return;
    const wasLive = this.listening;
    await this.drop();
    if (wasLive) this.logger.warn('lost the database notifications connection; reconnecting');
    if (this.stopped) return;
    this.schedule(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    for (const listeners of this.channels.values()) for (const l of listeners) l.reset();
    if (client) await settledWithin(client.end(), PING_TIMEOUT_MS);
  }
}
