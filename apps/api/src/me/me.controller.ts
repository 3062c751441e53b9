import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import { OrganisationRepository, type UserRow } from '@app/persistence';
import { ApiJson, ApiProblems } from '../common/openapi.decorators.js';
import { meSchema } from './dto/me.responses.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly organisations: OrganisationRepository) {}

  @Get()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The caller and its organisation',
    description: 'Any user, admins included: the caller\'s user record and its organisation (`null` for an admin, who belongs to none).',
  })
  @ApiJson(200, meSchema)
  @ApiProblems(401)
  async me(@CurrentUser() user: UserRow) {
    const organisation = user.organisationId ? await this.organisations.findById(user.organisationId) : null;
    return { ...user, organisation };
  }
}
