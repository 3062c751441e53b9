import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { parseQuery } from '@app/http';
import { Roles } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { witnessAlertPageSchema } from './dto/witness-alerts.responses.js';
import { WitnessAlertsQuery, witnessAlertsQuerySchema } from './witness-alerts.query.js';

@ApiTags('witness')
@ApiBearerAuth()
@Controller('v1/witness-alerts')
@AllowRoles(Roles.regulator)
export class WitnessAlertsController {
  constructor(private readonly query: WitnessAlertsQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'listWitnessAlerts',
    summary: 'Forks and shrinks of the registry log the witness refused to cosign, newest first',
    description:
      'Regulator. Each alert the witness (`npm run start:witness`) raised: a checkpoint the log signed that contradicts one the witness cosigned, with both checkpoints and the proof as evidence. The same checkpoint refused again counts one more occurrence. Keyset paginated.',
  })
  @ApiQueryFrom(witnessAlertsQuerySchema)
  @ApiJson(200, witnessAlertPageSchema)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown) {
    return this.query.execute(parseQuery(witnessAlertsQuerySchema, query));
  }
}
