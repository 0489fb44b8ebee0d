import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DRAW_METHOD, FREQUENCIES, Frequency, MAX_LISTED_SUBJECTS, SampleSummaryView, SampleVerification, SampleView } from '@app/query';

class SamplePopulationRequestDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_LISTED_SUBJECTS,
    description: 'Your inspection directory (检查对象名录库): unified social credit codes of organisations, each once. Natural persons are never sampled.',
    example: ['91510802MA6B3N4TXM', '91510802MA62N8LK5Q'],
  })
  subjects?: string[];

  @ApiPropertyOptional({ description: 'Also every organisation the model has classified (its credit_class rows). With subjects: the union, a code in both counted once.', example: false })
  includeClassified?: boolean;
}

/** The body of POST /v1/supervision/samples, as libs/query's SampleRequestDto validates it. */
export class SampleRequestBodyDto {
  @ApiPropertyOptional({ description: 'A credit class model of your supervision plans; defaults to your only one.', example: 'market-credit-class' })
  model?: string;

  @ApiProperty({ description: "The period, of your plan's frequency: 2026 (year), 2026-H2, 2026-Q4 or 2026-11; the current period or the next.", example: '2026-Q4' })
  period: string;

  @ApiProperty({ type: SamplePopulationRequestDto, description: 'Subjects listed, and/or every organisation the model classified; at least one.' })
  population: SamplePopulationRequestDto;
}

class SampleModelDto {
  @ApiProperty({ example: 'market-credit-class' }) id: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ description: "The model file's content hash when the sample was drawn.", example: 'sha256:3f1c…' }) revision: string;
}

class SamplePeriodDto {
  @ApiProperty({ example: '2026-Q4' }) name: string;
  @ApiProperty({ enum: FREQUENCIES, example: 'quarter' }) frequency: Frequency;
  @ApiProperty({ format: 'date', description: 'First day, China time.', example: '2026-10-01' }) from: string;
  @ApiProperty({ format: 'date', description: 'Last day, inclusive.', example: '2026-12-31' }) to: string;
}

class DefaultClassCountDto {
  @ApiProperty({ description: "The model's default class.", example: 'B' }) class: string;
  @ApiProperty({ description: 'Listed organisations the model never classified, put in its default class.', example: 3 }) count: number;
}

class SamplePopulationDto {
  @ApiProperty({ description: 'SHA-256 of the population (members { id, class, basis } sorted by id) as canonical JSON.', example: 'sha256:9b2e…' }) digest: string;
  @ApiProperty({ example: 120 }) total: number;
  @ApiProperty({ description: 'Codes from the request.', example: 120 }) listed: number;
  @ApiProperty({ description: "Organisations from the model's classifications (includeClassified).", example: 0 }) classified: number;
  @ApiProperty({ type: DefaultClassCountDto }) defaultClass: DefaultClassCountDto;
}

class SampleStratumDto {
  @ApiProperty({ example: 'C' }) class: string;
  @ApiProperty({ minimum: 0, maximum: 1, description: "The class's ratio in the plan.", example: 0.2 }) inspectionRatio: number;
  @ApiProperty({ enum: FREQUENCIES, description: "How often the class is drawn: the plan's frequency or the class's own longer one.", example: 'quarter' }) frequency: Frequency;
  @ApiProperty({ description: 'Whether this period draws the class: always at the plan\'s frequency; at a longer one, in the period that opens it (2027-Q1 for a yearly class).', example: true }) due: boolean;
  @ApiProperty({ description: 'Subjects of the population in this class.', example: 10 }) population: number;
  @ApiProperty({ description: 'due ? ceil(inspectionRatio × population) : 0.', example: 2 }) sampleSize: number;
}

class DrawnSubjectDto {
  @ApiProperty({ description: 'A unified social credit code.', example: '91510802MA6B3N4TXM' }) subjectId: string;
  @ApiProperty({ example: 'C' }) class: string;
  @ApiProperty({ enum: ['rule', 'otherwise', 'default'], description: "How it has its class: stored (rule, otherwise) or the model's default (never classified)." }) basis: 'rule' | 'otherwise' | 'default';
  @ApiProperty({ description: 'HMAC-SHA256(seed, subjectId), hex: lowest first within its class.', example: '0a41…' }) rank: string;
}

export class SampleViewDto implements SampleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'market-regulation' }) department: string;
  @ApiProperty({ type: SampleModelDto }) model: SampleModelDto;
  @ApiProperty({ type: SamplePeriodDto }) period: SamplePeriodDto;
  @ApiProperty({ enum: [DRAW_METHOD], description: 'How the sample was drawn: from each class, the ceil(ratio × n) subjects with the lowest HMAC-SHA256(seed, id).' }) method: typeof DRAW_METHOD;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "The server's random seed (32 bytes from its CSPRNG, hex), made after the population was fixed; the caller cannot choose it." }) seed: string;
  @ApiProperty({ type: SamplePopulationDto }) population: SamplePopulationDto;
  @ApiProperty({ type: [SampleStratumDto], description: "One stratum per class of the model, in the model's order." }) strata: SampleStratumDto[];
  @ApiProperty({ type: [DrawnSubjectDto], description: 'In draw order: stratum by stratum, lowest rank first.' }) drawn: DrawnSubjectDto[];
  @ApiProperty({ type: String, nullable: true, description: 'X-User-Id of the clerk who drew it.' }) drawnBy: string | null;
  @ApiProperty({ format: 'date-time' }) drawnAt: string;
}

class SampleSummaryPopulationDto {
  @ApiProperty() digest: string;
  @ApiProperty() listed: number;
  @ApiProperty() classified: number;
}

export class SampleSummaryDto implements SampleSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() department: string;
  @ApiProperty({ type: SampleModelDto }) model: SampleModelDto;
  @ApiProperty({ type: SamplePeriodDto }) period: SamplePeriodDto;
  @ApiProperty({ enum: [DRAW_METHOD] }) method: typeof DRAW_METHOD;
  @ApiProperty({ type: SampleSummaryPopulationDto }) population: SampleSummaryPopulationDto;
  @ApiProperty({ type: [SampleStratumDto] }) strata: SampleStratumDto[];
  @ApiProperty({ description: 'Subjects drawn.' }) drawnCount: number;
  @ApiProperty({ type: String, nullable: true }) drawnBy: string | null;
  @ApiProperty({ format: 'date-time' }) drawnAt: string;
}

export class SampleListDto {
  @ApiProperty({ type: [SampleSummaryDto], description: 'Newest period first; at most 100.' }) samples: SampleSummaryDto[];
}

class DigestComparisonDto {
  @ApiProperty() stored: string;
  @ApiProperty() recomputed: string;
  @ApiProperty() matches: boolean;
}

class DrawnComparisonDto extends DigestComparisonDto {
  @ApiProperty({ description: 'Subjects drawn.' }) count: number;
}

class StrataComparisonDto {
  @ApiProperty() matches: boolean;
  @ApiProperty({ type: [SampleStratumDto] }) recomputed: SampleStratumDto[];
}

export class SampleVerificationDto implements SampleVerification {
  @ApiProperty({ format: 'uuid' }) sampleId: string;
  @ApiProperty({ enum: [DRAW_METHOD] }) method: typeof DRAW_METHOD;
  @ApiProperty() seed: string;
  @ApiProperty({ description: 'The stored population hashes to its digest, and the draw redone from seed and population is the stored one.', example: true }) reproducible: boolean;
  @ApiProperty({ type: DigestComparisonDto }) populationDigest: DigestComparisonDto;
  @ApiProperty({ type: StrataComparisonDto }) strata: StrataComparisonDto;
  @ApiProperty({ type: DrawnComparisonDto, description: 'SHA-256 of the drawn subjects ({ id, class, rank } in draw order) as canonical JSON, stored and redone.' }) drawn: DrawnComparisonDto;
  @ApiProperty({ description: 'Whether the ratios and frequency drawn with are your plan in force now.' }) ratiosInForce: boolean;
}
