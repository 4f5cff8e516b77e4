import { Header } from '@nestjs/common';

/** A response that carries a secret (a new key, a signing secret, a callback URL, a session): never kept by a cache. */
export const NoStore = () => Header('Cache-Control', 'no-store');
