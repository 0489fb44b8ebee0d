import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import { Department } from '@app/domain';
import { ApplicantReview, ApplicantReviewService } from '@app/query';
import { ApiProblems, CurrentDepartment, DEPARTMENT_SECURITY, DepartmentAuthGuard, GovernmentDepartmentGuard } from '@app/http';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { USER_ID_HEADER } from './openapi/common.dto';
import { APPLICANT_REVIEW_EXAMPLE, ApplicantReviewDto } from './openapi/applicant-review.dto';
import { ID_TYPE_QUERY, SUBJECT_CHECK_PROBLEMS } from './openapi/credit-check.dto';
import { single } from './query-params';

/**
 * Applicant credit review (申请人信用审查) for approval systems. A GET beside the credit check,
 * with its parameters: it changes nothing but the audit log, and an approval system that checks
 * credit already calls the check this way.
 */
@ApiTags('credit check')
@Controller('v1')
export class ApplicantReviewController {
  constructor(private readonly reviews: ApplicantReviewService) {}

  @Get('subjects/:id/applicant-review')
  @UseGuards(DepartmentAuthGuard, GovernmentDepartmentGuard)
  @ApiSecurity(DEPARTMENT_SECURITY)
  @ApiOperation({
    summary: 'Applicant credit review (申请人信用审查) for an approval item, with the verdict on the commitment route (告知承诺)',
    description:
      "In one call: the subject's credit classes with their explanation, its list memberships, your measures for the item, its commitments (your open ones, its record, and each kept or broken one within five years: approval item, due date, how it ended), " +
      'and `commitmentRoute`: whether the applicant may be approved on its credit commitment for this item, not while a measure of yours barring commitment-based approval (the `commitment-based-approval` item of GET /v1/approval-items) is in force, nor when your measures deny the item itself. ' +
      'Read and logged in query_audit by the credit check\'s one statement, with its rules: a natural person only with X-User-Id and purpose, and only what you hold yourself; reviews and checks of natural persons count together towards the burst limit.',
  })
  @ApiParam({ name: 'id', description: 'A unified social credit code or a resident identity number.', example: '91510802MA6B3N4TXM' })
  @ApiQuery({ name: 'approvalItem', required: true, description: 'The approval item code (GET /v1/approval-items).', schema: { type: 'string', example: 'administrative-licensing' } })
  @ApiQuery({ name: 'purpose', required: false, description: "Why this applicant is reviewed (e.g. the application's file number), at most 200 printable characters; required for natural persons.", schema: { type: 'string', maxLength: 200, example: '利市监许〔2026〕301号' } })
  @ApiQuery(ID_TYPE_QUERY)
  @ApiHeader({ ...USER_ID_HEADER, description: "The clerk's account in the department's own system, at most 64 printable characters; required for natural persons." })
  @ApiOkResponse({ type: ApplicantReviewDto, description: 'The review, with reviewId: the id of its audit row.', example: APPLICANT_REVIEW_EXAMPLE })
  @ApiProblems(...SUBJECT_CHECK_PROBLEMS)
  review(
    @CurrentDepartment() department: Department,
    @Param('id') subject: string,
    @Query('approvalItem') approvalItem?: unknown,
    @Query('purpose') purpose?: unknown,
    @Query('idType') idType?: unknown,
    @Headers('x-user-id') userId?: string,
  ): Promise<ApplicantReview> {
    return this.reviews.review({
      department: department.code,
      subject,
      approvalItem: single('approvalItem', approvalItem),
      purpose: single('purpose', purpose),
      idType: single('idType', idType),
      userId,
    });
  }
}
