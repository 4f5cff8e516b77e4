import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
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
import { type Actor, type AuthUser, CurrentUser, RequestActor } from './auth-user.js';
import { UserResponse } from './dto/auth.dto.js';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto.js';
import { StaffService } from './staff.service.js';

@ApiTags('Staff')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerSession()
@Controller('api/staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: 'Everyone who can sign in to this shop (OWNER only)' })
  @ApiOkResponse({ type: [UserResponse] })
  list(@CurrentUser() user: AuthUser): Promise<UserResponse[]> {
    return this.staff.list(user.sellerId);
  }

  @Post()
  @ApiOperation({ summary: 'Add a member with a role and an initial password (OWNER only)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(400, 409)
  add(@CurrentUser() user: AuthUser, @RequestActor() actor: Actor, @Body() dto: CreateStaffDto): Promise<UserResponse> {
    return this.staff.add(user.sellerId, dto, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a member's name or role (OWNER only; the last OWNER cannot be demoted)" })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404, 409)
  update(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: UpdateStaffDto,
  ): Promise<UserResponse> {
    return this.staff.update(user.sellerId, id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member; they lose access at once (OWNER only; not the last OWNER)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  async remove(@CurrentUser() user: AuthUser, @RequestActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.staff.remove(user.sellerId, id, actor);
  }
}
