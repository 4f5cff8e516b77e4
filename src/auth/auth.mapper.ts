import { SellerResponse, UserResponse } from './dto/auth.dto.js';
import { Seller } from './entities/seller.entity.js';
import { User } from './entities/user.entity.js';

export function toUserResponse(user: User): UserResponse {
  return { id: user.id, email: user.email, name: user.name ?? null, role: user.role, createdAt: user.createdAt };
}

export function toSellerResponse(seller: Seller): SellerResponse {
  return {
    id: seller.id,
    storeName: seller.storeName,
    storeSlug: seller.storeSlug,
    phone: seller.phone,
    createdAt: seller.createdAt,
  };
}
