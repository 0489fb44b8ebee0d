import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Department, TraceContext } from '@app/domain';
import { EventIntakeService, IntakeReceipt } from '@app/engine';
import { ApiProblems, cloudEventRequestOf, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, RequestTrace } from '@app/http';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CLOUD_EVENT_EXAMPLE, CloudEventDto, IntakeReceiptDto, RECEIPT_EXAMPLE } from './openapi/cloud-event.dto';

/** The binary-mode headers (CloudEvents HTTP binding §3.1.3), documented on POST /v1/events; values percent-encoded where not printable ASCII. */
const BINARY_MODE_HEADERS = [
  ['ce-specversion', 'Binary mode: "1.0". Its presence (with Content-Type application/json) makes the request binary mode: the body is `data`.'],
  ['ce-id', 'Binary mode: the event id.'],
  ['ce-source', 'Binary mode: /departments/<your department>.'],
  ['ce-type', 'Binary mode: the event type.'],
  ['ce-subject', 'Binary mode: the subject the data names.'],
  ['ce-time', 'Binary mode: RFC 3339 timestamp.'],
  ['ce-dataschema', 'Binary mode: optional data schema URI.'],
] as const;

/** Departments publish credit events here: CloudEvents over HTTP in structured, binary or batch mode. */
@ApiTags('credit events')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
@ApiProblems(
  ...DEPARTMENT_CALL_PROBLEMS,
  'EVENT.MALFORMED_JSON', 'EVENT.NOT_CLOUDEVENT', 'EVENT.TOO_DEEP', 'EVENT.FORBIDDEN_KEY', 'EVENT.BAD_CHARACTER', 'REQUEST.INVALID', 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'DEPARTMENT.SOURCE_MISMATCH', 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED', 'DEPARTMENT.LIST_NOT_ALLOWED', 'DEPARTMENT.PROVENANCE_REQUIRED', 'DEPARTMENT.PROVENANCE_NOT_ALLOWED', 'SUBJECT.NOT_A_MEMBER', 'ASSOCIATION.SANCTION_NOT_ALLOWED', 'ASSOCIATION.INDUSTRY_MISMATCH', 'EVENT.ID_REUSED', 'REQUEST.TOO_LARGE', 'EVENT.TOO_LARGE',
  'EVENT.UNKNOWN_TYPE', 'EVENT.SCHEMA_VIOLATION', 'EVENT.SUBJECT_MISMATCH', 'EVENT.CONDUCT_PAST_LIMIT', 'SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION', 'SUBJECT.BAD_BIRTH_DATE', 'SUBJECT.ID_TYPE_MISMATCH', 'SUBJECT.UNKNOWN_ID_TYPE',
)
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  /** Structured (application/cloudevents+json, or application/json), binary (ce-* headers) or batch (application/cloudevents-batch+json) mode. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Publish one credit event, or a batch in batch mode',
    description:
      'CloudEvents over HTTP: structured mode (`application/cloudevents+json` or `application/json`: the whole CloudEvent as the body), ' +
      'binary mode (the `ce-*` headers carry the attributes, `Content-Type: application/json`, the body is `data`) or batch mode ' +
      '(`application/cloudevents-batch+json`: a JSON array of 1 to 1,000 CloudEvents, all or nothing). `data` as the AsyncAPI document ' +
      '(docs/asyncapi.json) and `/schemas/<type>.json` describe it for its `type`.',
  })
  @ApiConsumes('application/cloudevents+json', 'application/json', 'application/cloudevents-batch+json')
  @BinaryModeHeaders()
  @ApiAcceptedResponse({ type: IntakeReceiptDto, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.', example: RECEIPT_EXAMPLE })
  @ApiBody({ type: CloudEventDto, examples: { 'judgment debtor listed': { value: CLOUD_EVENT_EXAMPLE } } })
  publish(@CurrentDepartment() department: Department, @Headers() headers: IncomingHttpHeaders, @Body() body: unknown, @RequestTrace() trace: TraceContext): Promise<IntakeReceipt> {
    const request = cloudEventRequestOf(headers, body);
    return request.mode === 'batch' ? this.intake.acceptBatch(department, request.events, trace) : this.intake.acceptOne(department, request.event, trace);
  }

  /** All-or-nothing: validated whole, then stored in one statement inside one transaction. */
  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConsumes('application/cloudevents-batch+json', 'application/json')
  @ApiOperation({ summary: 'Publish a batch of credit events, all or nothing', description: 'A JSON array of 1 to 1,000 CloudEvents (at most 5 MiB); a refusal names the index of the event (`context.index`, violation paths `[i].…`).' })
  @ApiAcceptedResponse({ type: IntakeReceiptDto, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.', example: RECEIPT_EXAMPLE })
  @ApiBody({ type: [CloudEventDto], examples: { 'one event': { value: [CLOUD_EVENT_EXAMPLE] } } })
  publishBatch(@CurrentDepartment() department: Department, @Body() body: unknown, @RequestTrace() trace: TraceContext): Promise<IntakeReceipt> {
    return this.intake.acceptBatch(department, body, trace);
  }
}

function BinaryModeHeaders(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const [name, description] of BINARY_MODE_HEADERS) ApiHeader({ name, description, required: false })(target, key, descriptor);
  };
}
