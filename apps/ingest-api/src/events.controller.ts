import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { Department, TraceContext } from '@app/domain';
import { EventIntakeService, IntakeReceipt } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard, RequestTrace } from '@app/http';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';

/** Departments publish credit events here (CloudEvents structured mode, one or a batch). */
@ApiTags('credit events')
@ApiBearerAuth()
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
@ApiResponse({ status: 202, description: 'Durable: in the inbox or on the inbound topic. `duplicate: true` when this (source, id) was accepted before with the same content.' })
@ApiResponse({ status: 400, description: 'Unreadable: EVENT.MALFORMED_JSON, EVENT.NOT_CLOUDEVENT, EVENT.TOO_DEEP, EVENT.FORBIDDEN_KEY, EVENT.BAD_CHARACTER (with the field path).' })
@ApiResponse({ status: 409, description: 'EVENT.ID_REUSED: the id was accepted before with different content; nothing of the request is stored.' })
@ApiResponse({ status: 413, description: 'REQUEST.TOO_LARGE (body over 64 KiB, 5 MiB for a batch) or EVENT.TOO_LARGE (an event, string or extension over its limit).' })
@ApiResponse({ status: 422, description: 'EVENT.UNKNOWN_TYPE, EVENT.SCHEMA_VIOLATION, EVENT.SUBJECT_MISMATCH, SUBJECT.* (with violations[] paths).' })
@ApiResponse({ status: 503, description: 'SERVICE.UNAVAILABLE: database or broker unreachable, nothing stored; retry after the Retry-After seconds.' })
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  publish(@CurrentDepartment() department: Department, @Body() body: unknown, @RequestTrace() trace: TraceContext): Promise<IntakeReceipt> {
    return this.intake.acceptOne(department, body, trace);
  }

  /** All-or-nothing: validated whole, then stored in one statement inside one transaction. */
  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  publishBatch(@CurrentDepartment() department: Department, @Body() body: unknown, @RequestTrace() trace: TraceContext): Promise<IntakeReceipt> {
    return this.intake.acceptBatch(department, body, trace);
  }
}
