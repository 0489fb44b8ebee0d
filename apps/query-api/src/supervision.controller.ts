import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { SampleSummaryView, SampleVerification, SampleView, SupervisionSampleService } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard } from '@app/http';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { single } from './query-params';
import { USER_ID_HEADER } from './openapi/common.dto';
import { SampleListDto, SampleRequestBodyDto, SampleVerificationDto, SampleViewDto } from './openapi/supervision.dto';

const SAMPLE_ID = { name: 'id', description: 'The sample id (from POST /v1/supervision/samples).', schema: { type: 'string', format: 'uuid' } } as const;
const SUBJECT_PROBLEMS = ['SUBJECT.BAD_CHECK_DIGIT', 'SUBJECT.BAD_LENGTH', 'SUBJECT.BAD_CHARACTER', 'SUBJECT.BAD_DIVISION'] as const;

/** Differentiated supervision (信用分类监管): a department's random spot-check samples (双随机抽查) by credit class. */
@ApiTags('supervision samples')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/supervision/samples')
@UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
export class SupervisionController {
  constructor(private readonly samples: SupervisionSampleService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: "Draw this period's spot-check sample by credit class",
    description:
      'From the organisations listed and/or every organisation the model classified, each in its current class (the model\'s default for one never classified), ' +
      'the sample takes ceil(ratio × n) of each class at your plan\'s ratio (SUPERVISION_FILE), ranked by HMAC-SHA256 under a seed the server makes. ' +
      'One sample per model and period: a second draw is refused (409 SUPERVISION.ALREADY_DRAWN, with the sample\'s id). Logged in query_audit with the drawn subjects.',
  })
  @ApiBody({ type: SampleRequestBodyDto })
  @ApiHeader(USER_ID_HEADER)
  @ApiCreatedResponse({ type: SampleViewDto, description: 'Drawn and stored.' })
  @ApiProblems(
    ...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID_SAMPLE', 'REQUEST.INVALID', 'AUDIT.BAD_USER_ID', ...SUBJECT_PROBLEMS,
    'SUPERVISION.NOT_CONFIGURED', 'SUPERVISION.MODEL_REQUIRED', 'SUPERVISION.UNKNOWN_MODEL', 'SUPERVISION.BAD_PERIOD', 'SUPERVISION.PERIOD_NOT_OPEN',
    'SUPERVISION.DUPLICATE_SUBJECT', 'SUPERVISION.EMPTY_POPULATION', 'SUPERVISION.POPULATION_TOO_LARGE', 'SUPERVISION.ALREADY_DRAWN',
    'SUPERVISION.CLASSES_STALE',
  )
  draw(@CurrentDepartment() department: Department, @Body() body: unknown, @Headers('x-user-id') userId?: string): Promise<SampleView> {
    return this.samples.draw(department, body, userId);
  }

  @Get()
  @ApiOperation({ summary: 'Your samples, newest period first', description: 'Without the drawn subjects (read one sample for those); at most 100.' })
  @ApiQuery({ name: 'period', required: false, description: 'Only this period.', schema: { type: 'string', example: '2026-Q4' } })
  @ApiOkResponse({ type: SampleListDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'SUPERVISION.BAD_PERIOD')
  list(@CurrentDepartment() department: Department, @Query('period') period?: unknown): Promise<{ samples: SampleSummaryView[] }> {
    return this.samples.list(department, single('period', period));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your samples, with the drawn subjects', description: 'Only the drawing department; logged in query_audit with the subjects it names, before it is sent.' })
  @ApiParam(SAMPLE_ID)
  @ApiHeader(USER_ID_HEADER)
  @ApiOkResponse({ type: SampleViewDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'AUDIT.BAD_USER_ID', 'SUPERVISION.NOT_FOUND', 'SUPERVISION.NOT_OWN_SAMPLE')
  read(@CurrentDepartment() department: Department, @Param('id') id: string, @Headers('x-user-id') userId?: string): Promise<SampleView> {
    return this.samples.read(department, id, userId);
  }

  @Get(':id/verification')
  @ApiOperation({
    summary: 'Redo the draw from the stored seed and population',
    description: 'Hashes the stored population, redraws it with the stored seed and ratios, and compares with the stored strata and drawn subjects: `reproducible` is true when all agree. Names no subject.',
  })
  @ApiParam(SAMPLE_ID)
  @ApiOkResponse({ type: SampleVerificationDto })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'DEPARTMENT.GOVERNMENT_ONLY', 'REQUEST.INVALID', 'SUPERVISION.NOT_FOUND', 'SUPERVISION.NOT_OWN_SAMPLE')
  verify(@CurrentDepartment() department: Department, @Param('id') id: string): Promise<SampleVerification> {
    return this.samples.verify(department, id);
  }
}
