import { Equals, IsISO8601, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsUri } from './is-uri.decorator';

/** CloudEvents 1.0 context attributes we require of every credit event. */
export class CloudEventEnvelopeDto {
  @Equals('1.0', { message: 'specversion must be "1.0" (CloudEvents 1.0)' })
  specversion: '1.0';

  @IsString()
  @Length(1, 128)
  id: string;

  @Matches(/^\/departments\/[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'source must be /departments/<department-code>' })
  source: string;

  @IsString()
  @Length(1, 100)
  type: string;

  @IsString()
  @Length(1, 64)
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
