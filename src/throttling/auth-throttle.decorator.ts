import { SetMetadata } from '@nestjs/common';

export const AUTH_THROTTLE = 'sokohub:auth-throttle';
export const ORDER_THROTTLE = 'sokohub:order-throttle';

/** Puts a route under the strict sign-in limit (per client address, whatever the email). */
export const AuthThrottle = () => SetMetadata(AUTH_THROTTLE, true);

/** Puts a route under the public order limit (ORDER_RATE_LIMIT_PER_MINUTE per client address). */
export const OrderThrottle = () => SetMetadata(ORDER_THROTTLE, true);
