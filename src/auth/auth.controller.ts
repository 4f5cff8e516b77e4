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
import { OwnAccount, Public, SessionOnly } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from './auth-user.js';
import { ChangePasswordDto, LoginDto, ReauthDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { AuthThrottle, SignupThrottle } from '../throttling/auth-throttle.decorator.js';
import { SessionCookie } from './session-cookie.service.js';
import { sessionToken } from './session-authenticator.js';
import { NoStore } from '../common/no-store.js';

@ApiTags('Auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
  ) {}

  @Public()
  @AuthThrottle()
  @SignupThrottle()
  @NoStore()
  @Post('register')
  @ApiOperation({ summary: 'Create a shop and its OWNER, and sign in (sets the token cookie)' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiErrors(400, 409, 429)
  async register(
    @Body() dto: RegisterDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionResponse> {
    const { token, ...session } = await this.auth.register(dto, req.ip);
    this.cookie.set(res, token);
    return session;
  }

  @Public()
  @AuthThrottle()
  @NoStore()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: sets `token=<jwt>; HttpOnly; Secure; SameSite=Lax; Path=/`' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(400, 401, 429)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionResponse> {
    const { token, ...session } = await this.auth.login(dto, req.ip);
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
    await this.auth.logout(sessionToken(req), req.ip);
    this.cookie.clear(res);
  }

  @OwnAccount()
  @Post('logout-all')
  @HttpCode(204)
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'Sign out everywhere: every session of this user ends, this one too' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403)
  async logoutAll(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logoutAll(user, actor);
    this.cookie.clear(res);
  }

  @OwnAccount()
  @Post('password')
  @HttpCode(204)
  @AuthThrottle()
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: "Change the password; the user's other sessions end (API keys keep working)" })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 429)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(user, dto, actor);
  }

  @OwnAccount()
  @Post('reauth')
  @HttpCode(204)
  @AuthThrottle()
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({
    summary:
      'Enter the password again (sudo mode): for REAUTH_WINDOW_MIN minutes this session may change staff, API keys, ' +
      'partner access and M-Pesa settings. Wrong passwords count like failed sign-ins',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 429)
  async reauth(@CurrentUser() user: AuthUser, @Body() dto: ReauthDto, @Req() req: Request): Promise<void> {
    await this.auth.reauth(user, dto.password, req.ip);
  }

  @SessionOnly()
  @Get('me')
  @ApiCookieAuth('cookie')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'The signed-in user and their shop' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrors(401, 403)
  me(@CurrentUser() user: AuthUser): Promise<SessionResponse> {
    return this.auth.me(user);
  }
}
