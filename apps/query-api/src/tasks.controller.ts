import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { FeedbackService, FeedbackView, TaskDetail, TaskPage } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';

const USER_HEADER = { name: 'X-User-Id', required: false, description: "The reading account in the department's own system; logged with the read." };

/** Measure tasks of a department and its feedback on them (反馈). */
@ApiTags('measure tasks and feedback')
@ApiBearerAuth()
@Controller('v1/tasks')
@UseGuards(DepartmentAuthGuard)
export class TasksController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOperation({ summary: "The department's own measure tasks", description: 'A page with tasks is logged in query_audit with the targets it names, before it is sent.' })
  @ApiHeader(USER_HEADER)
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
  @ApiHeader(USER_HEADER)
  read(@CurrentDepartment() department: Department, @Param('taskId') taskId: string, @Headers('x-user-id') userId?: string): Promise<TaskDetail> {
    return this.feedback.read(department, taskId, userId);
  }

  @Post(':taskId/feedback')
  @HttpCode(HttpStatus.CREATED)
  report(@CurrentDepartment() department: Department, @Param('taskId') taskId: string, @Body() body: unknown): Promise<FeedbackView> {
    return this.feedback.report(department, taskId, body);
  }
}
