import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { EventIntakeService, IntakeReceipt } from '@app/engine';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CLOUD_EVENT_EXAMPLE, CloudEventDto, IntakeReceiptDto, RECEIPT_EXAMPLE } from './openapi/cloud-event.dto';

/** Departments publish credit events here (CloudEvents structured mode, one or a batch). */
@ApiTags('credit events')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
@ApiProblems(
  ...DEPARTMENT_CALL_PROBLEMS,
  'EVENT.MALFORMED_JSON', 'EVENT.NOT_CLOUDEVENT', 'EVENT.TOO_DEEP', 'EVENT.FORBIDDEN_KEY', 'EVENT.BAD_CHARACTER', 'REQUEST.INVALID',
  'DEPARTMENT.SOURCE_MISMATCH', 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED', 'DEPARTMENT.LIST_NOT_ALLOWED', 'EVENT.ID_REUSED', 'REQUEST.TOO_LARGE', 'EVENT.TOO_LARGE',
  'EVENT.UNKNOWN_TYPE', 'EVENT.SCHEMA_VIOLATION', 'EVENT.SUBJECT_MISMATCH', 'EVENT.CONDUCT_PAST_LIMIT', 'SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION', 'SUBJECT.BAD_BIRTH_DATE', 'SUBJECT.ID_TYPE_MISMATCH', 'SUBJECT.UNKNOWN_ID_TYPE',
)
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Publish one credit event', description: 'A CloudEvent in structured mode; `data` as the AsyncAPI document (docs/asyncapi.json) describes it for its `type`.' })
  @ApiAcceptedResponse({ type: IntakeReceiptDto, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.', example: RECEIPT_EXAMPLE })
  @ApiBody({ type: CloudEventDto, examples: { 'judgment debtor listed': { value: CLOUD_EVENT_EXAMPLE } } })
  publish(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<IntakeReceipt> {
    return this.intake.acceptOne(department, body);
  }

  /** All-or-nothing: validated whole, then stored in one statement inside one transaction. */
  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Publish a batch of credit events, all or nothing', description: 'A JSON array of 1 to 1,000 CloudEvents (at most 5 MiB); a refusal names the index of the event (`context.index`, violation paths `[i].…`).' })
  @ApiAcceptedResponse({ type: IntakeReceiptDto, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.', example: RECEIPT_EXAMPLE })
  @ApiBody({ type: [CloudEventDto], examples: { 'one event': { value: [CLOUD_EVENT_EXAMPLE] } } })
  publishBatch(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<IntakeReceipt> {
    return this.intake.acceptBatch(department, body);
  }
}
