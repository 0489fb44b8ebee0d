import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CURSOR_QUERY, limitQuery, USER_ID_HEADER } from './openapi/common.dto';
import { DeadLetterDetailDto, DeadLetterPageDto } from './openapi/reports.dto';
import { Department } from '@app/domain';
import { DeadLetterDetail, DeadLetterPage, DeadLetterService, MAX_DEAD_LETTER_PAGE } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { single } from './query-params';

/** A department reads the messages of its own that the engine refused from Kafka. */
@ApiTags('credit events')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/dead-letters')
@UseGuards(DepartmentAuthGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({
    summary: "The department's own dead letters, without their bodies",
    description: 'Reason, origin, event type, size and a masked preview, oldest first from `after`. The credit office also sees those no department could be told for.',
  })
  @ApiQuery(CURSOR_QUERY)
  @ApiQuery(limitQuery(50, MAX_DEAD_LETTER_PAGE))
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_LIMIT', 'REQUEST.INVALID')
  list(@CurrentDepartment() department: Department, @Query('after') after?: unknown, @Query('limit') limit?: unknown): Promise<DeadLetterPage> {
    const pageSize = single('limit', limit);
    return this.deadLetters.listOwn(department, { after: single('after', after), limit: pageSize === undefined ? undefined : Number(pageSize) });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One dead letter with the message as received (the publishing department only; audited)',
    description: 'The body is decrypted for the department that published it and the read is written to the query audit log. 404 DEAD_LETTER.NOT_FOUND for any other department, as for an id that does not exist.',
  })
  @ApiParam({ name: 'id', description: 'The dead letter id, from the list.', example: '17' })
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: DeadLetterDetailDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'AUDIT.BAD_USER_ID', 'DEAD_LETTER.NOT_FOUND')
  read(@CurrentDepartment() department: Department, @Param('id') id: string, @Headers('x-user-id') userId?: string): Promise<DeadLetterDetail> {
    return this.deadLetters.read(department, id, userId);
  }
}
