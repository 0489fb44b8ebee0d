import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { COORDINATION_MINUTES_SCHEMA } from '@app/decision-log';
import { Department } from '@app/domain';
import { CoordinationCaseService, CoordinationCaseView } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';

/** The schema type the response decorators take. */
type SchemaObject = NonNullable<Extract<NonNullable<Parameters<typeof ApiOkResponse>[0]>, { schema?: unknown }>['schema']>;

const CASE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    criterion: { type: 'string', example: 'serious-large-fine' },
    cause: { type: 'string', description: 'The event behind the case (source/id).' },
    decisionIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    subjectId: { type: 'string', nullable: true, description: "The organisation's code; null for a natural person." },
    subjectKind: { type: 'string' },
    departments: { type: 'array', items: { type: 'string' } },
    agenda: { type: 'array', items: { type: 'string' } },
    facts: { type: 'object' },
    meetingOn: { type: 'string', format: 'date' },
    dueOn: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['open', 'closed'] },
    openedAt: { type: 'string', format: 'date-time' },
    acknowledgements: { type: 'array', items: { type: 'object', properties: { department: { type: 'string' }, acknowledgedAt: { type: 'string', format: 'date-time' } } } },
    awaiting: { type: 'array', items: { type: 'string' }, description: 'Departments concerned that have not acknowledged.' },
    minutes: { type: 'object', nullable: true, description: 'The meeting\'s minutes and joint documents, once closed.' },
    closedAt: { type: 'string', format: 'date-time', nullable: true },
    closedBy: { type: 'string', nullable: true },
  },
};
const ID_PARAM = { name: 'id', description: 'The case id (from a coordination.opened record or the list).', schema: { type: 'string', format: 'uuid' } } as const;

/** Coordination cases on major dishonesty (工作协调会): a department reads and acknowledges those that concern it; the credit office reads all. */
@ApiTags('coordination')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/coordination/cases')
@UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
export class CoordinationController {
  constructor(private readonly cases: CoordinationCaseService) {}

  @Get()
  @ApiOperation({ summary: 'The coordination cases that concern the caller (every case for the credit office), latest first' })
  @ApiOkResponse({ schema: { type: 'object', properties: { cases: { type: 'array', items: CASE_SCHEMA } } } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY')
  list(@CurrentDepartment() caller: Department) {
    return this.cases.list(caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A coordination case, with who has acknowledged it' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ schema: CASE_SCHEMA })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'COORDINATION.CASE_NOT_FOUND')
  get(@CurrentDepartment() caller: Department, @Param('id') id: string): Promise<CoordinationCaseView> {
    return this.cases.get(caller, id);
  }

  @Post(':id/acknowledgement')
  @ApiOperation({ summary: 'Acknowledge a case that concerns the caller', description: '201 the first time; 200 with the first acknowledgement afterwards.' })
  @ApiParam(ID_PARAM)
  @ApiBody({ required: false, description: 'Nothing: the acknowledgement is the calling department\'s, now.', schema: { type: 'object', additionalProperties: false, properties: {} } })
  @ApiCreatedResponse({ schema: CASE_SCHEMA })
  @ApiOkResponse({ schema: CASE_SCHEMA })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'COORDINATION.CASE_NOT_FOUND')
  async acknowledge(@CurrentDepartment() caller: Department, @Param('id') id: string, @Res({ passthrough: true }) reply: Pick<FastifyReply, 'status'>): Promise<CoordinationCaseView> {
    const { created, case: view } = await this.cases.acknowledge(caller, id);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Post(':id/minutes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Close a case with its meeting's minutes and joint documents (credit office)",
    description: 'heldOn (not in the future), the attending departments, what was agreed, and the joint documents (联合发文) issued with their numbers and issuing departments. Once: a closed case keeps its minutes (409 COORDINATION.CASE_CLOSED). Every department the case concerns is told (coordination.closed).',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: COORDINATION_MINUTES_SCHEMA as unknown as SchemaObject })
  @ApiOkResponse({ schema: CASE_SCHEMA })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'COORDINATION.CREDIT_OFFICE_ONLY', 'COORDINATION.CASE_NOT_FOUND', 'COORDINATION.INVALID_MINUTES', 'COORDINATION.CASE_CLOSED')
  close(@CurrentDepartment() caller: Department, @Param('id') id: string, @Body() body: unknown): Promise<CoordinationCaseView> {
    return this.cases.close(caller, id, body);
  }
}
