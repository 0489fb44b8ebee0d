import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where a request broke a rule: the JSON path of the field (`data.subject.id`, `[3].time` in a batch) and what is wrong. */
export class ViolationDto {
  @ApiProperty({ description: 'JSON path of the offending field; empty for the whole body.', example: 'data.decidedOn' })
  path: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'decidedOn must be a calendar date YYYY-MM-DD' })
  message: string;
}

/**
 * Every error answer (RFC 9457 Problem Details, `application/problem+json`), with the engine's
 * stable `code` as an extension member: clients branch on `code`, never on `detail`.
 */
export class ProblemDetailsDto {
  @ApiProperty({ description: 'URI reference naming the problem type: one per code.', format: 'uri-reference', example: '/problems/EVENT.SCHEMA_VIOLATION' })
  type: string;

  @ApiProperty({ description: 'Short summary of the problem type; the same for every occurrence of a code.', example: 'Event schema violation' })
  title: string;

  @ApiProperty({ description: 'The HTTP status code of this answer.', type: 'integer', minimum: 400, maximum: 599, example: 422 })
  status: number;

  @ApiProperty({ description: 'What went wrong with this request, for a human reader. Never names a resident.', example: 'the event does not match the schema of its type' })
  detail: string;

  @ApiProperty({ description: 'The stable error code (README, "Error codes").', pattern: '^[A-Z][A-Z_]*(\\.[A-Z][A-Z_]*)?$', example: 'EVENT.SCHEMA_VIOLATION' })
  code: string;

  @ApiPropertyOptional({ description: 'Each field that broke a rule, when the request was checked field by field.', type: [ViolationDto] })
  violations?: ViolationDto[];

  @ApiPropertyOptional({
    description: 'Non-personal facts about the refusal (an index in a batch, a limit, an id).',
    type: 'object',
    additionalProperties: true,
    example: { index: 3 },
  })
  context?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The path of the request that failed.', format: 'uri-reference', example: '/v1/events' })
  instance?: string;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
