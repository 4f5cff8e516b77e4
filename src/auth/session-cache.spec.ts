import type { AppConfig } from '../config/app-config.js';
import type { ChannelListener, DatabaseNotifications } from '../database/notifications.js';
import { type CheckedSession, SessionCache } from './session-cache.js';

/** The listening connection as the cache sees it: whether it is up, and the listener it was given. */
class Channel {
  live = true;
  listener?: ChannelListener;
  listen(_: string, l: ChannelListener): void {
    this.listener = l;
  }
}

const session = (userId: string, expiresInMs = 3_600_000): CheckedSession => ({
  userId,
  sellerId: 'sel_1',
  role: 'OWNER',
  email: `${userId}@example.co.ke`,
  expiresAt: Date.now() + expiresInMs,
});

function make(seconds = 30): { cache: SessionCache; channel: Channel } {
  const channel = new Channel();
  const config = { security: { sessionCacheS: seconds } } as AppConfig;
  return { cache: new SessionCache(config, channel as unknown as DatabaseNotifications), channel };
}

describe('SessionCache', () => {
  it('keeps a checked session and drops it, or all of a member’s, when told', () => {
    const { cache, channel } = make();
    cache.keep(cache.epoch, 's1', session('u1'));
    cache.keep(cache.epoch, 's2', session('u1'));
    cache.keep(cache.epoch, 's3', session('u2'));
    expect(cache.get('s1')?.userId).toBe('u1');
    channel.listener!.message('s:s1');
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s2')).toBeDefined();
    channel.listener!.message('u:u1');
    expect(cache.get('s2')).toBeUndefined();
    expect(cache.get('s3')?.userId).toBe('u2');
  });

  it('does not keep what a check read while a change arrived', () => {
    const { cache, channel } = make();
    const started = cache.epoch;
    channel.listener!.message('s:unrelated');
    cache.keep(started, 's1', session('u1'));
    expect(cache.get('s1')).toBeUndefined();
  });

  it('keeps nothing, and answers nothing, while not listening; forgets all when the connection is lost', () => {
    const { cache, channel } = make();
    cache.keep(cache.epoch, 's1', session('u1'));
    channel.live = false;
    expect(cache.get('s1')).toBeUndefined();
    cache.keep(cache.epoch, 's2', session('u2'));
    channel.listener!.reset();
    channel.live = true;
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s2')).toBeUndefined();
  });

  it('holds off keeping a session or member this instance just changed', () => {
    const { cache } = make();
    cache.keep(cache.epoch, 's1', session('u1'));
    cache.forgetUser('u1');
    expect(cache.get('s1')).toBeUndefined();
    cache.keep(cache.epoch, 's1', session('u1'));
    cache.forgetSession('s9');
    cache.keep(cache.epoch, 's9', session('u3'));
    cache.keep(cache.epoch, 's4', session('u4'));
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s9')).toBeUndefined();
    expect(cache.get('s4')).toBeDefined();
  });

  it('never keeps a session past its own expiry, and keeps nothing when turned off', () => {
    const { cache } = make();
    cache.keep(cache.epoch, 's1', session('u1', -1));
    expect(cache.get('s1')).toBeUndefined();
    const off = make(0);
    off.cache.keep(off.cache.epoch, 's1', session('u1'));
    expect(off.cache.get('s1')).toBeUndefined();
    expect(off.channel.listener).toBeUndefined();
  });
});
