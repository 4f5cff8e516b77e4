import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/access.decorators.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CreatePartnerDto, PartnerCreatedResponse, PartnerResponse, RotatedKeyResponse } from './dto/partner.dto.js';
import { AdminTokenGuard } from './guards.js';
import { PartnerCompaniesService } from './partner-companies.service.js';
import { NoStore } from '../common/no-store.js';

@ApiTags('Admin')
@ApiHeader({
  name: 'X-Admin-Token',
  required: true,
  description: 'ADMIN_TOKEN; with none configured these routes answer 404',
})
@ApiErrors(401, 404)
@Public()
@UseGuards(AdminTokenGuard)
@Controller('api/admin/partners')
export class AdminPartnersController {
  constructor(private readonly companies: PartnerCompaniesService) {}

  @NoStore()
  @Post()
  @ApiOperation({ summary: 'Create a partner company: its API key and signing secret are shown once' })
  @ApiCreatedResponse({ type: PartnerCreatedResponse })
  @ApiErrors(400)
  create(@Body() dto: CreatePartnerDto): Promise<PartnerCreatedResponse> {
    return this.companies.create(dto.name);
  }

  @Get()
  @ApiOperation({ summary: 'Every partner company (no keys or secrets)' })
  @ApiOkResponse({ type: [PartnerResponse] })
  list(): Promise<PartnerResponse[]> {
    return this.companies.list();
  }

  @NoStore()
  @Post(':id/rotate-key')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new API key, shown once; the old one stops working at once' })
  @ApiOkResponse({ type: RotatedKeyResponse })
  rotate(@Param('id') id: string): Promise<RotatedKeyResponse> {
    return this.companies.rotateKey(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the company: its key stops working and its hooks stop receiving' })
  @ApiNoContentResponse()
  async revoke(@Param('id') id: string): Promise<void> {
    await this.companies.revoke(id);
  }
}
