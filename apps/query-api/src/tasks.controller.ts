import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { FeedbackService, FeedbackView, MAX_TASK_PAGE, TaskDetail, TaskPage } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CURSOR_QUERY, limitQuery, USER_ID_HEADER } from './openapi/common.dto';
import { FeedbackReportDto, FeedbackViewDto, TASK_STATE_VALUES, TaskDetailDto, TaskPageDto } from './openapi/tasks.dto';

const TASK_ID = { name: 'taskId', description: 'The measure task id (GET /v1/tasks).', schema: { type: 'string', format: 'uuid' } } as const;

/** Measure tasks of a department and its feedback on them (反馈). */
@ApiTags('measure tasks and feedback')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/tasks')
@UseGuards(DepartmentAuthGuard)
export class TasksController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOperation({ summary: "The department's own measure tasks", description: 'A page with tasks is logged in query_audit with the targets it names, before it is sent.' })
  @ApiQuery({ name: 'state', required: false, enum: TASK_STATE_VALUES, description: 'Only tasks in this state.' })
  @ApiQuery({ name: 'overdue', required: false, description: 'Only overdue tasks (`true`) or only others (`false`).', schema: { type: 'string', enum: ['true', 'false'] } })
  @ApiQuery({ ...CURSOR_QUERY, description: "The previous page's `nextCursor` (opaque)." })
  @ApiQuery(limitQuery(100, MAX_TASK_PAGE))
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.BAD_TASK_FILTER', 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_LIMIT', 'AUDIT.BAD_USER_ID')
  list(
    @CurrentDepartment() department: Department,
    @Query('state') state?: string,
    @Query('overdue') overdue?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Headers('x-user-id') userId?: string,
  ): Promise<TaskPage> {
    return this.feedback.list(department, { state, overdue, after, limit }, userId);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'A measure task with its feedback history', description: 'Logged in query_audit with the target it names, before it is sent.' })
  @ApiParam(TASK_ID)
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.INVALID', 'AUDIT.BAD_USER_ID', 'TASK.NOT_PARTICIPATING', 'TASK.NOT_FOUND')
  read(@CurrentDepartment() department: Department, @Param('taskId') taskId: string, @Headers('x-user-id') userId?: string): Promise<TaskDetail> {
    return this.feedback.read(department, taskId, userId);
  }

  @Post(':taskId/feedback')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Report what the department did with a measure task (反馈)', description: 'Once per outcome; only the implementing department. A task that has ended takes feedback only with acknowledgeRevoked.' })
  @ApiParam(TASK_ID)
  @ApiBody({ type: FeedbackReportDto })
  @ApiCreatedResponse({ type: FeedbackViewDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.INVALID_FEEDBACK', 'REQUEST.INVALID', 'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT', 'TASK.NOT_FOUND', 'FEEDBACK.DUPLICATE', 'FEEDBACK.TASK_ENDED')
  report(@CurrentDepartment() department: Department, @Param('taskId') taskId: string, @Body() body: unknown): Promise<FeedbackView> {
    return this.feedback.report(department, taskId, body);
  }
}
