import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import { OrganisationRepository, type UserRow } from '@app/persistence';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly organisations: OrganisationRepository) {}

  @Get()
  async me(@CurrentUser() user: UserRow) {
    const organisation = user.organisationId ? await this.organisations.findById(user.organisationId) : null;
    return { ...user, organisation };
  }
}
