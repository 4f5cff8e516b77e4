import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { Public, SessionOnly } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { type AuthUser, CurrentUser } from './auth-user.js';
import { ChangePasswordDto, LoginDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { AuthThrottle } from '../throttling/auth-throttle.decorator.js';
import { SessionCookie } from './session-cookie.service.js';
import { sessionToken } from './strategies/jwt.strategy.js';

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
  @ApiOperation({
    summary: 'Sign out: ends this session on the server (a copied cookie or token stops working) and clears the cookie',
  })
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(sessionToken(req));
    this.cookie.clear(res);
  }

  @SessionOnly()
  @Post('logout-all')
  @HttpCode(204)
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'Sign out everywhere: every session of this user ends, this one too' })
  @ApiNoContentResponse()
  @ApiErrors(401)
  async logoutAll(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logoutAll(user);
    this.cookie.clear(res);
  }

  @SessionOnly()
  @Post('password')
  @HttpCode(204)
  @AuthThrottle()
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: "Change the password; the user's other sessions end (API keys keep working)" })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 429)
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user, dto);
  }

  @SessionOnly()
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
