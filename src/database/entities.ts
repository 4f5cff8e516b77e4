import { SellerSchema } from '../auth/entities/seller.entity.js';
import { UserSchema } from '../auth/entities/user.entity.js';

/** Every entity, listed explicitly: ESM builds cannot glob for them. */
export const ENTITIES = [SellerSchema, UserSchema];
