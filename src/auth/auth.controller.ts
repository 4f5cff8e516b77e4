import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { Public } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { type AuthUser, CurrentUser } from './auth-user.js';
import { LoginDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { AuthThrottle } from '../throttling/auth-throttle.decorator.js';
import { SessionCookie } from './session-cookie.js';

@ApiTags('Auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
  ) {}

  @Public()
  @AuthThrottle()
  @Post('register')
  @ApiOperation({ summary: 'Create a shop and its OWNER, and sign in (sets the token cookie)' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiErrors(400, 409, 429)
  async register(@Body() dto: RegisterDto, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    const { token, ...session } = await this.auth.register(dto);
    this.cookie.set(res, token);
    return session;
  }

  @Public()
  @AuthThrottle()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: sets `token=<jwt>; HttpOnly; Secure; SameSite=Lax; Path=/`' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(400, 401, 429)
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    const { token, ...session } = await this.auth.login(dto);
    this.cookie.set(res, token);
    return session;
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: clears the token cookie' })
  @ApiNoContentResponse()
  logout(@Res({ passthrough: true }) res: Response): void {
    this.cookie.clear(res);
  }

  @Get('me')
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'The signed-in user and their shop' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): Promise<SessionResponse> {
    return this.auth.me(user);
  }
}
