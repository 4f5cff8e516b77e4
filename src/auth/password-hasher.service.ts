import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { hashPassword, verifyPassword } from './passwords.js';

/**
 * argon2 behind a gate: at most PASSWORD_HASH_CONCURRENCY hashes at once (libuv's thread pool has 4 threads, shared
 * with file and DNS work), at most PASSWORD_HASH_QUEUE waiting; past that a sign-in is answered 429 at once, so a
 * flood of sign-ins cannot starve the rest of the process.
 */
@Injectable()
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  // Verified against when the email is unknown, so both failures take the same time.
  private dummy?: Promise<string>;

  constructor(private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return this.gated(() => hashPassword(password));
  }

  /** Checks `password` against `hash`, or against a dummy hash when there is none (same time either way). */
  async verify(hash: string | undefined, password: string): Promise<boolean> {
    this.dummy ??= hashPassword('not-a-real-password-at-all');
    const target = hash ?? (await this.dummy);
    const valid = await this.gated(() => verifyPassword(target, password));
    return hash !== undefined && valid;
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    const { passwordHashConcurrency: limit, passwordHashQueue: queue } = this.config.rateLimit;
    if (this.running >= limit) {
      if (this.waiting.length >= queue)
        throw AppError.rateLimited('Too many sign-ins are being checked right now; try again in a few seconds', 5);
      // A finishing hash hands its slot straight to the first waiter, so the count never overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
