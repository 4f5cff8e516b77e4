import { SellerResponse, UserResponse } from './dto/auth.dto.js';
import { Seller } from './entities/seller.entity.js';
import { User } from './entities/user.entity.js';

/** A member as the API answers it, from the entity or a row with the same fields. */
export function toUserResponse(user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'createdAt'>): UserResponse {
  return { id: user.id, email: user.email, name: user.name ?? null, role: user.role, createdAt: user.createdAt };
}

export function toSellerResponse(
  seller: Pick<Seller, 'id' | 'storeName' | 'storeSlug' | 'phone' | 'createdAt'>,
): SellerResponse {
  return {
    id: seller.id,
    storeName: seller.storeName,
    storeSlug: seller.storeSlug,
    phone: seller.phone,
    createdAt: seller.createdAt,
  };
}
