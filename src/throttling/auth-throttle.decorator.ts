import { SetMetadata } from '@nestjs/common';

export const AUTH_THROTTLE = 'sokohub:auth-throttle';
export const ORDER_THROTTLE = 'sokohub:order-throttle';

/** Puts a route under the strict sign-in limit (per client address, whatever the email). */
export const AuthThrottle = () => SetMetadata(AUTH_THROTTLE, true);

/** Puts a route under the public order limit (ORDER_RATE_LIMIT_PER_MINUTE per client address). */
export const OrderThrottle = () => SetMetadata(ORDER_THROTTLE, true);

export const SIGNUP_THROTTLE = 'sokohub:signup-throttle';

/** Puts a route under the sign-up limit (SIGNUP_PER_ADDRESS_PER_HOUR per client address). */
export const SignupThrottle = () => SetMetadata(SIGNUP_THROTTLE, true);

export const CALLBACK_THROTTLE = 'sokohub:callback-throttle';

/** Puts a route under the M-Pesa callback limit (per address; Daraja's allow-listed addresses are exempt). */
export const CallbackThrottle = () => SetMetadata(CALLBACK_THROTTLE, true);
