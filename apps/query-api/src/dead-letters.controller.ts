import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Department } from '@app/domain';
import { DeadLetterDetail, DeadLetterPage, DeadLetterService } from '@app/query';
import { CurrentDepartment, DepartmentAuthGuard } from '@app/http';
import { single } from './query-params';

/** A department reads the messages of its own that the engine refused from Kafka. */
@ApiTags('credit events')
@ApiBearerAuth()
@Controller('v1/dead-letters')
@UseGuards(DepartmentAuthGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({
    summary: "The department's own dead letters, without their bodies",
    description: 'Reason, origin, event type, size and a masked preview, oldest first from `after`. The credit office also sees those no department could be told for.',
  })
  list(@CurrentDepartment() department: Department, @Query('after') after?: unknown, @Query('limit') limit?: unknown): Promise<DeadLetterPage> {
    const pageSize = single('limit', limit);
    return this.deadLetters.listOwn(department, { after: single('after', after), limit: pageSize === undefined ? undefined : Number(pageSize) });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One dead letter with the message as received (the publishing department only; audited)',
    description: 'The body is decrypted for the department that published it and the read is written to the query audit log. 404 DEAD_LETTER.NOT_FOUND for any other department, as for an id that does not exist.',
  })
  @ApiParam({ name: 'id', description: 'The dead letter id, from the list.' })
  read(@CurrentDepartment() department: Department, @Param('id') id: string, @Headers('x-user-id') userId?: string): Promise<DeadLetterDetail> {
    return this.deadLetters.read(department, id, userId);
  }
}
