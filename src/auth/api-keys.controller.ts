import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { OwnerSession } from './access.decorators.js';
import { ApiKeysService } from './api-keys.service.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from './auth-user.js';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto.js';
import { NoStore } from '../common/no-store.js';

@ApiTags('API keys')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerSession()
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The shop's API keys (never the keys themselves; OWNER, signed in)" })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  list(@CurrentUser() user: AuthUser): Promise<ApiKeyResponse[]> {
    return this.keys.list(user.sellerId);
  }

  @NoStore()
  @Post()
  @ApiOperation({
    summary: 'Create an API key for a server-to-server integration; the key is shown once (OWNER, signed in)',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors(400)
  create(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponse> {
    return this.keys.create(user, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once (OWNER, signed in)' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  revoke(@CurrentUser() user: AuthUser, @RequestActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.keys.revoke(user.sellerId, id, actor);
  }
}
