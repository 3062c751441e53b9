import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CASE_STATES, EVENT_TYPES, FINAL_STATES, SYSTEM_EVENT_TYPES, WORKFLOW_VERSION, workflowEdges, workflowMermaid } from '@app/workflow';
import { ApiJson, ApiProblems } from '../common/openapi.decorators.js';
import { workflowSchema } from './dto/workflow.responses.js';

@ApiTags('workflow')
@ApiBearerAuth()
@Controller('v1/workflow')
export class WorkflowController {
  @Get()
  @ApiOperation({
    operationId: 'getWorkflow',
    summary: 'The machine’s states, events, transitions and a Mermaid diagram',
    description: 'Any user. The workflow definition this api runs: its states (final ones listed apart), event types (system events listed apart), transitions and a Mermaid diagram. The web app draws a case\'s statechart from it.',
  })
  @ApiJson(200, workflowSchema)
  @ApiProblems(401)
  describe() {
    return {
      version: WORKFLOW_VERSION,
      states: CASE_STATES,
      finalStates: FINAL_STATES,
      events: EVENT_TYPES,
      systemEvents: SYSTEM_EVENT_TYPES,
      transitions: workflowEdges(WORKFLOW_VERSION),
      mermaid: workflowMermaid(WORKFLOW_VERSION),
    };
  }
}
