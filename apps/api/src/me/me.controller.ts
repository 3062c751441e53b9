import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import type { UserRow } from '@app/persistence';
import { ApiJson, ApiProblems } from '../common/openapi.decorators.js';
import { meSchema } from './dto/me.responses.js';
import { MeQuery } from './me.query.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly meQuery: MeQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The caller and its organisation',
    description: 'Any user, admins included: the caller\'s user record and its organisation (`null` for an admin, who belongs to none).',
  })
  @ApiJson(200, meSchema)
  @ApiProblems(401)
  async me(@CurrentUser() user: UserRow) {
    return this.meQuery.execute(user);
  }
}
