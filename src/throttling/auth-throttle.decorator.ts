import { SetMetadata } from '@nestjs/common';

export const AUTH_THROTTLE = 'sokohub:auth-throttle';

/** Puts a route under the strict sign-in limit (per client IP and email). */
export const AuthThrottle = () => SetMetadata(AUTH_THROTTLE, true);
