import { Controller, Get, Header, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, DEPARTMENT_CALL_PROBLEMS, DEPARTMENT_SECURITY, DepartmentAuthGuard } from '@app/http';
import { RECORD_SCHEMA_NAMES } from './openapi/feed.dto';
import { MeasureTermsService } from '@app/query';

/** Subscribers resolve the `terms` of a record's measures: once per reference, as the answer never changes. */
@ApiTags('feeds')
@ApiSecurity(DEPARTMENT_SECURITY)
@Controller('v1/measure-terms')
@UseGuards(DepartmentAuthGuard)
export class MeasureTermsController {
  constructor(private readonly terms: MeasureTermsService) {}

  @Get(':ref')
  // The body is the exact text the reference is the hash of: sent as stored, never re-serialised.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'private, max-age=31536000, immutable')
  @ApiOperation({
    summary: "What a record's measure says and rests on (measures[].terms of decision.issued)",
    description:
      "The memorandum heading, the measure's wording (zh, en) and its legal basis in the instrument versions in force on the decision day. The same reference always gives the same body, and the reference is `mt-` and the first 32 hex digits of the SHA-256 of that body: cache it for good, and check it if you like. No personal data; any department may read any terms. 400 MEASURE_TERMS.BAD_REF for a malformed reference, 404 MEASURE_TERMS.NOT_FOUND when no decision cites it.",
  })
  @ApiParam({ name: 'ref', description: 'The reference.', schema: { type: 'string', pattern: '^mt-[0-9a-f]{32}$', example: 'mt-3f0c2a9d4b6e8f1a2c3d4e5f6a7b8c9d' } })
  @ApiOkResponse({ description: 'The measure terms.', schema: { $ref: `#/components/schemas/${RECORD_SCHEMA_NAMES.measureTerms}` } })
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'MEASURE_TERMS.BAD_REF', 'MEASURE_TERMS.NOT_FOUND')
  read(@Param('ref') ref: string): Promise<string> {
    return this.terms.canonical(ref);
  }
}
