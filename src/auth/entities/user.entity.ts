import { defineEntity, p } from '@mikro-orm/core';

export const ROLES = ['OWNER', 'MANAGER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in to one shop, with one role there. */
const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.string().primary(),
    sellerId: p.string().index(),
    // Unique on lower(email), see the accounts migration.
    email: p.string(),
    name: p.string().nullable(),
    passwordHash: p.string().hidden().lazy(),
    role: p.enum(ROLES),
    failedLogins: p.integer().default(0).hidden(),
    lockedUntil: p.datetime().nullable().hidden(),
    // Client keys (an IPv6 /64) that signed in to this account: failed sign-ins from them never lock it.
    knownAddresses: p.array().default([]).hidden().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
export { UserSchema };
