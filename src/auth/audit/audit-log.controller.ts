import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/swagger/api-errors.js';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { OwnerOnly, SessionOnly } from '../access.decorators.js';
import { type AuthUser, CurrentUser } from '../auth-user.js';
import { AuditPage } from './audit-log.dto.js';
import { AuditLog } from './audit-log.service.js';

@ApiTags('Audit log')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerOnly()
@SessionOnly()
@Controller('api/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    summary:
      'Who changed staff, keys, partner access, M-Pesa or shop settings, passwords, sessions and webhooks, when, ' +
      'from where and what changed; newest first (OWNER, signed in)',
  })
  @ApiOkResponse({ type: AuditPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<AuditPage> {
    return this.audit.list(user.sellerId, query.page, query.limit);
  }
}
