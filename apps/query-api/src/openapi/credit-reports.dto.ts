import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IDENTIFIER_TYPES, SUBJECT_KINDS } from '@app/domain';
import { CODE_LENGTH, MAX_REPORT_PURPOSE, REPORT_USE_CODES } from '@app/query';
import type { IssuedReport, VerifiedReport } from '@app/query';
import { BilingualTextDto } from './common.dto';

const NUMBER_EXAMPLE = 'XYBG-20261201-000123';
const SHA256 = { pattern: '^[0-9a-f]{64}$', example: '3f0c2c1e8d5a4b7f9e6d1c0b2a3948576f5e4d3c2b1a09876f5e4d3c2b1a0987' };

/** The body of POST /v1/reports, as libs/query's parseReportRequest checks it. */
export class CreditReportRequestDto {
  @ApiProperty({ maxLength: 40, description: 'A unified social credit code or a resident identity number; its type is detected unless idType is given.', example: '91510802MA62XK0U3U' })
  subject: string;

  @ApiPropertyOptional({ enum: IDENTIFIER_TYPES, description: 'Needed only when the identifier is valid as both.' })
  idType?: string;

  @ApiProperty({ enum: REPORT_USE_CODES, description: 'What the report is for; printed as its title.', example: 'tendering' })
  use: string;

  @ApiProperty({ maxLength: MAX_REPORT_PURPOSE, description: "Why the report is asked for (e.g. the tender's file number), at most 200 printable characters; printed on the report and kept in the audit log.", example: '广利采〔2026〕17号 资格审查' })
  purpose: string;
}

class ReportUseDto {
  @ApiProperty({ enum: REPORT_USE_CODES, example: 'tendering' }) code: string;
  @ApiProperty({ type: BilingualTextDto }) name: BilingualTextDto;
}

class ReportSubjectDto {
  @ApiProperty({ enum: IDENTIFIER_TYPES, example: 'USCC' }) idType: string;
  @ApiProperty({ example: '91510802MA62XK0U3U' }) id: string;
  @ApiProperty({ type: String, nullable: true, enum: SUBJECT_KINDS, example: 'enterprise' }) kind: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The latest name the records give it; null when nothing is on record.', example: '广元市利州区示例建筑工程有限公司' }) name: string | null;
}

class ReportFileDto {
  @ApiProperty({ ...SHA256, description: 'SHA-256 of the file as served (hex).' }) sha256: string;
  @ApiProperty({ example: `/v1/reports/${NUMBER_EXAMPLE}.pdf` }) href: string;
}

export class IssuedReportDto implements IssuedReport {
  @ApiProperty({ example: NUMBER_EXAMPLE, pattern: '^XYBG-\\d{8}-\\d{6,}$' }) number: string;
  @ApiProperty({
    minLength: CODE_LENGTH,
    maxLength: CODE_LENGTH,
    description: 'Shown this once: give it with the report to whoever verifies it. Stored only as a hash; it cannot be read again.',
    example: '7KQ2M9XRTA',
  })
  verificationCode: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date', description: 'The China date the records were read for.' }) asOf: string;
  @ApiProperty({ type: ReportUseDto }) use: IssuedReport['use'];
  @ApiProperty({ type: ReportSubjectDto }) subject: IssuedReport['subject'];
  @ApiProperty({ ...SHA256, description: "SHA-256 of the report's content (its model as canonical JSON); printed on the report." }) contentSha256: string;
  @ApiProperty({ type: ReportFileDto }) pdf: ReportFileDto;
  @ApiProperty({ type: ReportFileDto }) html: ReportFileDto;
  @ApiProperty({ description: 'The public verification address printed on the report (add ?code=).', example: `http://localhost:3002/v1/public/reports/${NUMBER_EXAMPLE}` }) verifyUrl: string;
}

class PublicReportSubjectDto {
  @ApiProperty({ type: String, nullable: true, example: 'enterprise' }) kind: string | null;
  @ApiProperty({ enum: IDENTIFIER_TYPES }) idType: string;
  @ApiProperty({ description: "An organisation's code as is; a natural person's number masked (division and last four).", example: '91510802MA62XK0U3U' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: "An organisation's name; a natural person's first character only (张*).", example: '广元市利州区示例建筑工程有限公司' }) name: string | null;
  @ApiProperty({ description: 'True for a natural person: id and name are masked.' }) masked: boolean;
}

class DepartmentNameDto {
  @ApiProperty({ example: 'finance' }) code: string;
  @ApiProperty({ type: BilingualTextDto, nullable: true }) name: BilingualTextDto | null;
}

class NullableReportUseDto {
  @ApiProperty({ example: 'tendering' }) code: string;
  @ApiProperty({ type: BilingualTextDto, nullable: true }) name: BilingualTextDto | null;
}

class ReportSectionCountsDto {
  @ApiProperty() creditClasses: number;
  @ApiProperty() listMemberships: number;
  @ApiProperty() commendations: number;
  @ApiProperty() measures: number;
  @ApiProperty() penalties: number;
  @ApiProperty() commitments: number;
  @ApiProperty() selfDisciplineSanctions: number;
  @ApiProperty() objectionsAndRepairs: number;
}

class ReportClassDto {
  @ApiProperty({ example: 'market-credit-class' }) model: string;
  @ApiProperty({ example: 'B' }) class: string;
}

class ReportContentSummaryDto {
  @ApiProperty({ type: ReportSectionCountsDto, description: 'Items per section, as printed.' }) counts: ReportSectionCountsDto;
  @ApiProperty({ type: [ReportClassDto], nullable: true, description: 'The credit classes as printed; null for a natural person.' }) creditClasses: ReportClassDto[] | null;
  @ApiProperty({ type: [String], nullable: true, description: 'The lists of the memberships and commendations, in order; null for a natural person.' }) listCodes: string[] | null;
  @ApiProperty({ type: [String], nullable: true, description: "The list entries' document numbers, in order; null for a natural person." }) documentNumbers: string[] | null;
}

export class VerifiedReportDto implements VerifiedReport {
  @ApiProperty({ enum: [true], description: 'Always true: a report that does not verify is a 404.' }) valid: true;
  @ApiProperty({ example: NUMBER_EXAMPLE }) number: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date', description: 'The China date of issue, the date its records are as of.' }) issuedOn: string;
  @ApiProperty({ type: NullableReportUseDto }) use: VerifiedReport['use'];
  @ApiProperty({ type: DepartmentNameDto }) issuingDepartment: VerifiedReport['issuingDepartment'];
  @ApiProperty({ type: PublicReportSubjectDto, nullable: true, description: 'Null where natural persons are not published (PUBLIC_HIDE_NATURAL_PERSONS).' }) subject: VerifiedReport['subject'];
  @ApiProperty({ ...SHA256, description: "SHA-256 of the report's content (its model as canonical JSON), as printed on it: proves the issued model is unchanged, not a paper copy (compare `content` with that)." }) contentSha256: string;
  @ApiProperty({ type: ReportContentSummaryDto, description: 'What to compare with a paper or re-saved copy, whose bytes no hash checks: counts per section, and for an organisation the classes, list codes and document numbers.' }) content: ReportContentSummaryDto;
  @ApiProperty({ ...SHA256, description: 'Hash the PDF you received (sha256sum) and compare.' }) pdfSha256: string;
  @ApiProperty({ ...SHA256, description: 'Hash the HTML you received and compare.' }) htmlSha256: string;
}
