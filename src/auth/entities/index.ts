import { SellerSchema } from './seller.entity.js';
import { UserSchema } from './user.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const AUTH_ENTITIES = [SellerSchema, UserSchema];
