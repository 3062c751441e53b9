import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CASE_STATES, EVENT_TYPES, FINAL_STATES, SYSTEM_EVENT_TYPES, WORKFLOW_VERSION, workflowEdges, workflowMermaid } from '@app/workflow';

@ApiTags('workflow')
@ApiBearerAuth()
@Controller('v1/workflow')
export class WorkflowController {
  @Get()
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
