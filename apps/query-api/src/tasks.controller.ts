import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { FeedbackService, FeedbackView, TaskDetail, TaskPage } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** Measure tasks of a department and its feedback on them (反馈). */
@ApiTags('measure tasks and feedback')
@ApiBearerAuth()
@Controller('v1/tasks')
@UseGuards(DepartmentAuthGuard)
export class TasksController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  list(
    @CurrentDepartment() department: Department,
    @Query('state') state?: string,
    @Query('overdue') overdue?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<TaskPage> {
    return this.feedback.list(department, { state, overdue, after, limit });
  }

  @Get(':taskId')
  read(@CurrentDepartment() department: Department, @Param('taskId') taskId: string): Promise<TaskDetail> {
    return this.feedback.read(department, taskId);
  }

  @Post(':taskId/feedback')
  @HttpCode(HttpStatus.CREATED)
  report(@CurrentDepartment() department: Department, @Param('taskId') taskId: string, @Body() body: unknown): Promise<FeedbackView> {
    return this.feedback.report(department, taskId, body);
  }
}
