import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Department } from '@app/domain';
import { EventIntakeService, IntakeReceipt } from '@app/engine';
import { cloudEventRequestOf, CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';

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
@ApiBearerAuth()
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
@ApiResponse({ status: 202, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.' })
@ApiResponse({ status: 400, description: 'Unreadable: EVENT.MALFORMED_JSON, EVENT.NOT_CLOUDEVENT, EVENT.TOO_DEEP, EVENT.FORBIDDEN_KEY, EVENT.BAD_CHARACTER (with the field path).' })
@ApiResponse({ status: 409, description: 'EVENT.ID_REUSED: the id was accepted before with different content; nothing of the request is stored.' })
@ApiResponse({ status: 413, description: 'REQUEST.TOO_LARGE (body over 64 KiB, 5 MiB for a batch) or EVENT.TOO_LARGE (an event, string or extension over its limit).' })
@ApiResponse({ status: 415, description: 'REQUEST.UNSUPPORTED_MEDIA_TYPE: the body is not JSON in one of the accepted media types, or not UTF-8.' })
@ApiResponse({ status: 422, description: 'EVENT.UNKNOWN_TYPE, EVENT.SCHEMA_VIOLATION, EVENT.SUBJECT_MISMATCH, SUBJECT.* (with violations[] paths).' })
@ApiResponse({ status: 503, description: 'SERVICE.UNAVAILABLE: database or broker unreachable, nothing stored; retry after the Retry-After seconds.' })
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  /** Structured (application/cloudevents+json, or application/json), binary (ce-* headers) or batch (application/cloudevents-batch+json) mode. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConsumes('application/cloudevents+json', 'application/json', 'application/cloudevents-batch+json')
  @BinaryModeHeaders()
  publish(@CurrentDepartment() department: Department, @Headers() headers: IncomingHttpHeaders, @Body() body: unknown): Promise<IntakeReceipt> {
    const request = cloudEventRequestOf(headers, body);
    return request.mode === 'batch' ? this.intake.acceptBatch(department, request.events) : this.intake.acceptOne(department, request.event);
  }

  /** All-or-nothing: validated whole, then stored in one statement inside one transaction. */
  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConsumes('application/cloudevents-batch+json', 'application/json')
  publishBatch(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<IntakeReceipt> {
    return this.intake.acceptBatch(department, body);
  }
}

function BinaryModeHeaders(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const [name, description] of BINARY_MODE_HEADERS) ApiHeader({ name, description, required: false })(target, key, descriptor);
  };
}
