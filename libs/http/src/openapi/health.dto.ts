import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  description: 'Each check by name (database, rules, calendar, departments, kafka), with its status and what it reports.',
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } }, additionalProperties: true },
  example: { database: { status: 'up' }, calendar: { status: 'up', coveredThrough: '2027-12-31' } },
};

/** Terminus' readiness answer: 200 when every failing check may be reported only, 503 when the database (or broker) does not answer. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional(INDICATORS)
  info?: Record<string, unknown>;

  @ApiPropertyOptional(INDICATORS)
  error?: Record<string, unknown>;

  @ApiProperty(INDICATORS)
  details: Record<string, unknown>;
}
