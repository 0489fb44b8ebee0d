import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { EventIntakeService, IntakeReceipt } from '@app/engine';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** Departments publish credit events here (CloudEvents structured mode, one or a batch). */
@ApiTags('credit events')
@ApiBearerAuth()
@Controller('v1/events')
@UseGuards(DepartmentAuthGuard)
export class EventsController {
  constructor(private readonly intake: EventIntakeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  publish(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<IntakeReceipt> {
    return this.intake.acceptOne(department, body);
  }

  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  publishBatch(@CurrentDepartment() department: Department, @Body() body: unknown): Promise<IntakeReceipt> {
    return this.intake.acceptBatch(department, body);
  }
}
