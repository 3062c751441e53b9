import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { LineageQuery } from '@app/cases';
import { Roles } from '@app/workflow';
import { ApiJson, ApiProblems, PublicRoute } from '../common/openapi.decorators.js';
import { lineageGraphSchema, publicLineageSchema } from './dto/lineage.responses.js';

/** The regulator's whole lineage graph of a model version. */
@ApiTags('lineage')
@ApiBearerAuth()
@Controller('v1/lineage')
@AllowRoles(Roles.regulator)
export class LineageController {
  constructor(private readonly lineage: LineageQuery) {}

  @Get(':modelVersionId')
  @ApiOperation({
    operationId: 'getLineageGraph',
    summary: 'The lineage graph of a model version, with case states',
    description:
      'Regulator. `nodes`: the model version (depth 0), its ancestors (negative depth) and its descendants (positive depth) at any depth, each with its latest case and `flagged` when that case is held, revoked or in reassessment; `edges`: every base-model link between them (`from` the base, `to` the derived one) with its relation. A flag on a node reaches every node below it. At most 1,000 ancestors and 1,000 descendants, nearest generations first; `truncated` says a walk had more. 404 for an unknown or malformed id.',
  })
  @ApiJson(200, lineageGraphSchema)
  @ApiProblems(401, 403, 404)
  async graph(@Param('modelVersionId') modelVersionId: string) {
    return this.lineage.graph(modelVersionId);
  }
}

/** The public lineage of a registry record: its own route beside the registry's, no token. */
@ApiTags('public')
@Controller('v1/public/registry')
@PublicRoute()
export class PublicLineageController {
  constructor(private readonly lineage: LineageQuery) {}

  @Get(':id/lineage')
  @ApiOperation({
    operationId: 'getRegistryRecordLineage',
    summary: 'The published ancestors and descendants of a record',
    description:
      'No token. `{ancestors, descendants}` of the record\'s model version at any depth, only those with a published record, each `{recordId, name, version, relation, state, depth}` from its newest record. Model versions without a record are walked through, never named. At most 1,000 model versions are walked each way, nearest generations first; `truncated` says a walk had more. 404 for an unknown or malformed id.',
  })
  @ApiJson(200, publicLineageSchema)
  @ApiProblems(404)
  async published(@Param('id') id: string) {
    return this.lineage.published(id);
  }
}
