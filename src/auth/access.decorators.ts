import { applyDecorators, SetMetadata } from '@nestjs/common';
import { type Role } from './entities/user.entity.js';

export const IS_PUBLIC = 'sokohub:public';
export const ACCESS_POLICY = 'sokohub:access';
export const SESSION_ONLY = 'sokohub:session-only';
export const RECENT_PASSWORD = 'sokohub:recent-password';

/** No seller session needed (storefront, order placement, M-Pesa callback, partner API with its own guard). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AccessPolicy {
  /** Least role that may read (GET/HEAD). */
  read: Role;
  /** Least role that may write (anything else). */
  write: Role;
}

export const DEFAULT_ACCESS: AccessPolicy = { read: 'VIEWER', write: 'MANAGER' };

/** Overrides the default policy (any member reads, MANAGER writes) for a controller or route. */
export const Access = (policy: Partial<AccessPolicy>) => SetMetadata(ACCESS_POLICY, { ...DEFAULT_ACCESS, ...policy });

/** Staff, webhooks and partner access: owners only. */
export const OwnerOnly = () => Access({ read: 'OWNER', write: 'OWNER' });
export const OwnerWrites = () => Access({ write: 'OWNER' });

/**
 * Needs a signed-in person, never an API key: who may act for the shop (staff, keys, partner access, sessions and
 * passwords) and where its money goes (M-Pesa settings), and the shop's settings.
 */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

/**
 * Writes here also need the password entered within REAUTH_WINDOW_MIN in this session (sudo mode): a stolen cookie
 * alone cannot add an owner, mint a key or point the shop's payments elsewhere.
 */
export const RecentPassword = () => SetMetadata(RECENT_PASSWORD, true);

/**
 * A person's own account (their password, their sessions, sudo mode): every member, VIEWERs too — a VIEWER whose
 * password leaked must be able to change it and end the sessions it opened. Never an API key.
 */
export const OwnAccount = () => applyDecorators(Access({ write: 'VIEWER' }), SessionOnly());

/** Who may act for the shop or where its money goes: a signed-in owner, with a recent password for changes. */
export const OwnerSession = () => applyDecorators(OwnerOnly(), SessionOnly(), RecentPassword());
