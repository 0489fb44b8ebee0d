import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EventStatusReportDto } from './openapi/reports.dto';
import { Department } from '@app/domain';
import { EventStatusReport, EventStatusService } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';

/** A department asks what happened to an event it sent. */
@ApiTags('credit events')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
export class EventStatusController {
  constructor(private readonly events: EventStatusService) {}

  @Get(':source/:id')
  @ApiOperation({
    summary: "An event's status and effects (the sending department only)",
    description:
      'received, decided, refused (with code and reason) or dead-lettered; the decisions it caused and every record it put on a department feed, with whether it has been published. 403 EVENT.NOT_SENDER for another department, 404 EVENT.NOT_FOUND when nothing of that id arrived.',
  })
  @ApiParam({ name: 'source', description: 'The sending department code (court), or its CloudEvents source URL-encoded (%2Fdepartments%2Fcourt).', example: 'court' })
  @ApiParam({ name: 'id', description: 'The CloudEvents id of the event.', example: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e01' })
  @ApiOkResponse({ type: EventStatusReportDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.INVALID', 'EVENT.NOT_SENDER', 'EVENT.NOT_FOUND')
  status(@CurrentDepartment() department: Department, @Param('source') source: string, @Param('id') id: string): Promise<EventStatusReport> {
    return this.events.status(department, source, id);
  }
}
