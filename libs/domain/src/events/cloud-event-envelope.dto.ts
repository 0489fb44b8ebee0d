import { Equals, IsISO8601, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsUri } from './is-uri.decorator';

/** The envelope's limits, for the validation below and for the API documents that describe it. */
export const ENVELOPE_LIMITS = {
  id: { minLength: 1, maxLength: 128 },
  type: { minLength: 1, maxLength: 100 },
  subject: { minLength: 1, maxLength: 64 },
  /** As JSON Schema and OpenAPI write it (a RegExp's `.source` would escape the slashes). */
  sourcePattern: '^/departments/[a-z0-9]+(-[a-z0-9]+)*$',
} as const;

/** CloudEvents 1.0 context attributes we require of every credit event. */
export class CloudEventEnvelopeDto {
  @Equals('1.0', { message: 'specversion must be "1.0" (CloudEvents 1.0)' })
  specversion: '1.0';

  @IsString()
  @Length(ENVELOPE_LIMITS.id.minLength, ENVELOPE_LIMITS.id.maxLength)
  id: string;

  @Matches(new RegExp(ENVELOPE_LIMITS.sourcePattern), { message: 'source must be /departments/<department-code>' })
  source: string;

  @IsString()
  @Length(ENVELOPE_LIMITS.type.minLength, ENVELOPE_LIMITS.type.maxLength)
  type: string;

  @IsString()
  @Length(ENVELOPE_LIMITS.subject.minLength, ENVELOPE_LIMITS.subject.maxLength)
  subject: string;

  @IsISO8601({ strict: true }, { message: 'time must be an RFC 3339 timestamp' })
  time: string;

  /**
   * JSON, as binary mode's Content-Type says it: `application/json`, with or without a UTF-8
   * charset parameter. (No regex flag: the pattern is also the compiled schema's, and JSON Schema
   * patterns have none.)
   */
  @IsOptional()
  @Matches(/^application\/json(\s*;\s*charset\s*=\s*"?[Uu][Tt][Ff]-8"?)?$/, { message: 'datacontenttype must be application/json (optionally with charset=utf-8)' })
  datacontenttype?: string;

  /**
   * A URI (CloudEvents: absolute); when it names one of the engine's schemas
   * (…/schemas/<type>.json) it must be its own type's, or the event is refused (EVENT.SCHEMA_VIOLATION).
   */
  @IsOptional()
  @IsString()
  @IsUri()
  dataschema?: string;

  /** Documented here; parseCreditEvent reports a bad `data` against its type's schema (EVENT.SCHEMA_VIOLATION). */
  @IsObject({ message: 'data must be a JSON object' })
  data: Record<string, unknown>;
}
