import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DatabaseNotifications } from '../database/notifications.js';
import type { Role } from './entities/user.entity.js';

/** A session as its check read it: who it belongs to, what they may do, until when it may be trusted. */
export interface CheckedSession {
  userId: string;
  sellerId: string;
  role: Role;
  email: string;
  /** The session's own expiry (ms since the epoch). */
  expiresAt: number;
}

interface Entry {
  session: CheckedSession;
  until: number;
}

/** The 'auth_changed' channel: `s:<session id>` or `u:<user id>` (see Migration20261204000200_session_changes). */
export const AUTH_CHANGED = 'auth_changed';
const MAX_ENTRIES = 50_000;
/** After this instance changes a session or member, nothing of theirs is kept until it has surely committed. */
const HOLD_OFF_MS = 60_000;

/**
 * Sessions this instance has checked, answered from memory for SESSION_CACHE_S seconds (at most) instead of a
 * statement on every request — the per-request check was a fifth of an authenticated request's CPU, in the app and in
 * PostgreSQL alike. Kept only while it cannot go stale unseen:
 * - every change to a session or member that matters (ended, aged, deleted; role, email, shop; removed) is announced
 *   by a trigger on 'auth_changed' after it commits, from whichever instance or tool made it, and drops what is kept;
 * - nothing is kept, or answered, while the listening connection is down or not answering its pings (it drops
 *   everything when lost);
 * - a check that was reading while any change arrived does not keep its (maybe older) answer (`epoch`);
 * - a change made here drops the entries at once and holds off keeping that session or member for a minute, so a
 *   read made before the change committed cannot put them back.
 * What it costs: another instance refuses an ended session when the notification reaches it (milliseconds), not
 * before; a change made outside PostgreSQL's notifications (none today) would be seen within SESSION_CACHE_S.
 */
@Injectable()
export class SessionCache {
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly heldOff = new Map<string, number>();
  private changes = 0;

  constructor(
    config: AppConfig,
    private readonly notifications: DatabaseNotifications,
  ) {
    this.ttlMs = config.security.sessionCacheS * 1000;
    if (this.ttlMs > 0)
      notifications.listen(AUTH_CHANGED, { message: (p) => this.changed(p), reset: () => this.clear() });
  }

  /** Where a check starts: pass it to keep() so an answer read across a change is not kept. */
  get epoch(): number {
    return this.changes;
  }

  get(sessionId: string): CheckedSession | undefined {
    if (!this.notifications.live) return undefined;
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.session;
    this.remove(sessionId);
    return undefined;
  }

  keep(epoch: number, sessionId: string, session: CheckedSession): void {
    if (!this.ttlMs || !this.notifications.live || epoch !== this.changes) return;
    if (this.isHeldOff(`s:${sessionId}`) || this.isHeldOff(`u:${session.userId}`)) return;
    if (this.entries.size >= MAX_ENTRIES) this.remove(this.entries.keys().next().value!);
    this.entries.set(sessionId, { session, until: Math.min(session.expiresAt, Date.now() + this.ttlMs) });
    const sessions = this.byUser.get(session.userId) ?? new Set<string>();
    sessions.add(sessionId);
    this.byUser.set(session.userId, sessions);
  }

  /** This instance is ending or changing a session: drop it now, and keep nothing of it until it has committed. */
  forgetSession(sessionId: string): void {
    this.holdOff(`s:${sessionId}`);
  }

  /** This instance is changing or removing a member: as forgetSession, for all their sessions. */
  forgetUser(userId: string): void {
    this.holdOff(`u:${userId}`);
  }

  private holdOff(key: string): void {
    this.changed(key);
    const now = Date.now();
    if (this.heldOff.size > 1000) for (const [k, until] of this.heldOff) if (until <= now) this.heldOff.delete(k);
    this.heldOff.set(key, now + HOLD_OFF_MS);
  }

  private isHeldOff(key: string): boolean {
    const until = this.heldOff.get(key);
    return until !== undefined && until > Date.now();
  }

  private changed(payload: string): void {
    this.changes++;
    const id = payload.slice(2);
    if (payload.startsWith('s:')) this.remove(id);
    else if (payload.startsWith('u:')) for (const sessionId of this.byUser.get(id) ?? []) this.remove(sessionId);
    else this.clear(); // a payload we do not know: nothing kept can be trusted
  }

  private remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    const sessions = this.byUser.get(entry.session.userId);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.byUser.delete(entry.session.userId);
  }

  private clear(): void {
    this.changes++;
    this.entries.clear();
    this.byUser.clear();
  }
}
