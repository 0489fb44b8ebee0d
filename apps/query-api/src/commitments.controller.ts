import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Department } from '@app/domain';
import { CommitmentService, CommitmentView } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { USER_ID_HEADER } from './openapi/common.dto';
import { BreachRequestDto, CommitmentRequestDto, CommitmentViewDto, CorrectionRequestDto, FulfilmentRequestDto } from './openapi/commitments.dto';

const COMMITMENT_ID = { name: 'id', description: 'The commitment id (from POST /v1/commitments).', schema: { type: 'string', format: 'uuid' } } as const;
const SUBJECT_PROBLEMS = ['SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION', 'SUBJECT.BAD_BIRTH_DATE', 'SUBJECT.ID_TYPE_MISMATCH', 'SUBJECT.UNKNOWN_ID_TYPE'] as const;

/** Approval systems record applicants' credit commitments (信用承诺, 告知承诺) and report them kept or broken. */
@ApiTags('credit commitments')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/commitments')
@UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
export class CommitmentsController {
  constructor(private readonly commitments: CommitmentService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Record a credit commitment an applicant made for an approval item',
    description:
      'Idempotent by your own `reference`: a retry with the same content answers the commitment already recorded (200); other content under the same reference is refused (409). ' +
      'Not reported kept by `dueOn` (inclusive, China time), the commitment is broken the next day, and decided as a credit.commitment.breached.v1 event of your department.',
  })
  @ApiBody({ type: CommitmentRequestDto })
  @ApiCreatedResponse({ type: CommitmentViewDto, description: 'Recorded.' })
  @ApiOkResponse({ type: CommitmentViewDto, description: 'A retry: the commitment already recorded under this reference.' })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID_COMMITMENT', 'REQUEST.INVALID', ...SUBJECT_PROBLEMS, 'COMMITMENT.NOT_ALLOWED', 'COMMITMENT.REFERENCE_REUSED', 'COMMITMENT.DATE_IN_FUTURE', 'COMMITMENT.DATE_BEFORE_APPROVAL')
  async record(@CurrentDepartment() department: Department, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommitmentView> {
    const { commitment, created } = await this.commitments.record(department, body);
    if (!created) reply.status(HttpStatus.OK);
    return commitment;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your commitments, and how it stands', description: 'Only the recording department; logged in query_audit with the subject it names, before it is sent.' })
  @ApiParam(COMMITMENT_ID)
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: CommitmentViewDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'AUDIT.BAD_USER_ID', 'COMMITMENT.NOT_FOUND', 'COMMITMENT.NOT_RECORDING_DEPARTMENT')
  read(@CurrentDepartment() department: Department, @Param('id') id: string, @Headers('x-user-id') userId?: string): Promise<CommitmentView> {
    return this.commitments.read(department, id, userId);
  }

  @Post(':id/fulfilment')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Report the commitment kept', description: 'Only the recording department, while the commitment is open; fulfilled on its due date at the latest (the date is inclusive).' })
  @ApiParam(COMMITMENT_ID)
  @ApiBody({ type: FulfilmentRequestDto })
  @ApiOkResponse({ type: CommitmentViewDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID_COMMITMENT', 'REQUEST.INVALID', 'COMMITMENT.NOT_FOUND', 'COMMITMENT.NOT_RECORDING_DEPARTMENT', 'COMMITMENT.ALREADY_CLOSED', 'COMMITMENT.DATE_IN_FUTURE', 'COMMITMENT.DATE_BEFORE_APPROVAL', 'COMMITMENT.PAST_DUE')
  fulfil(@CurrentDepartment() department: Department, @Param('id') id: string, @Body() body: unknown): Promise<CommitmentView> {
    return this.commitments.fulfil(department, id, body);
  }

  @Post(':id/breach')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Report the commitment broken',
    description: 'Only the recording department, while the commitment is open. The breach becomes a credit.commitment.breached.v1 event of your department (id `commitment-breach-<id>`), decided by the commitment-breaches memorandum at the next lifecycle tick; `breach.eventId` says when.',
  })
  @ApiParam(COMMITMENT_ID)
  @ApiBody({ type: BreachRequestDto })
  @ApiOkResponse({ type: CommitmentViewDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID_COMMITMENT', 'REQUEST.INVALID', 'COMMITMENT.NOT_FOUND', 'COMMITMENT.NOT_RECORDING_DEPARTMENT', 'COMMITMENT.ALREADY_CLOSED', 'COMMITMENT.DATE_IN_FUTURE', 'COMMITMENT.DATE_BEFORE_APPROVAL')
  breach(@CurrentDepartment() department: Department, @Param('id') id: string, @Body() body: unknown): Promise<CommitmentView> {
    return this.commitments.breach(department, id, body);
  }

  @Post(':id/correction')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Correct an automatic breach: the commitment was kept in time and reported late',
    description:
      'Only the recording department; only a breach made because the commitment was not reported kept by its date (`breach.kind: overdue`), within COMMITMENT_CORRECTION_DAYS of the day it was broken, and only with a fulfilment on or before the due date. ' +
      'The commitment becomes kept (`correction` keeps the breach it took back, and `correctedBy` the X-User-Id). The answer is logged in query_audit, as a read of the commitment is. At the next lifecycle tick the engine withdraws the breach decision by a credit.list-entry.removed.v1 event as from the department that may remove it (every addressee is told) and recomputes the class; `correction.withdrawalEventId` and `settledAt` say when.',
  })
  @ApiParam(COMMITMENT_ID)
  @ApiBody({ type: CorrectionRequestDto })
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: CommitmentViewDto })
  @ApiProblems(
    ...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID_COMMITMENT', 'REQUEST.INVALID', 'AUDIT.BAD_USER_ID', 'COMMITMENT.NOT_FOUND', 'COMMITMENT.NOT_RECORDING_DEPARTMENT',
    'COMMITMENT.NOT_CORRECTABLE', 'COMMITMENT.CORRECTION_TOO_LATE', 'COMMITMENT.DATE_IN_FUTURE', 'COMMITMENT.DATE_BEFORE_APPROVAL', 'COMMITMENT.PAST_DUE',
  )
  correct(@CurrentDepartment() department: Department, @Param('id') id: string, @Body() body: unknown, @Headers('x-user-id') userId?: string): Promise<CommitmentView> {
    return this.commitments.correct(department, id, body, userId);
  }
}
