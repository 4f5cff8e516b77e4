import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { KENYAN_PHONE_PATTERN } from '../../common/phone.js';
import { ROLES } from '../entities/user.entity.js';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  @ApiProperty({ example: 'seller@example.com' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'a-long-password', minLength: 8 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RegisterDto {
  @ApiProperty({ example: 'amina@duka.co.ke' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'a-long-password', minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Amina Prints' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(80)
  storeName: string;

  @ApiProperty({
    example: '0712 345 678',
    pattern: KENYAN_PHONE_PATTERN,
    description: 'A Kenyan mobile number in any usual form; stored as +2547XXXXXXXX',
  })
  @IsString()
  @MaxLength(32)
  phone: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password in use now' })
  @IsString()
  @MinLength(1, { message: 'currentPassword is required' })
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8, { message: 'newPassword must be at least 8 characters' })
  @MaxLength(200)
  newPassword: string;
}

export class SellerResponse {
  @ApiProperty({ example: 'sel_01hz3k2m4n5p6q7r8s9t0v1w2x' }) id: string;
  @ApiProperty({ example: 'Amina Prints' }) storeName: string;
  @ApiProperty({ example: 'amina-prints' }) storeSlug: string;
  @ApiProperty({ example: '+254712345678' }) phone: string;
  @ApiProperty() createdAt: Date;
}

export class UserResponse {
  @ApiProperty({ example: 'usr_01hz3k2m4n5p6q7r8s9t0v1w2x' }) id: string;
  @ApiProperty({ example: 'amina@duka.co.ke' }) email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty() createdAt: Date;
}

export class SessionResponse {
  @ApiProperty({ type: UserResponse }) user: UserResponse;
  @ApiProperty({ type: SellerResponse }) seller: SellerResponse;
}

export class ReauthDto {
  @ApiProperty({ example: 'a-long-password', description: "The signed-in user's password", maxLength: 200 })
  @IsString({ message: 'password is required' })
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200)
  password: string;
}
