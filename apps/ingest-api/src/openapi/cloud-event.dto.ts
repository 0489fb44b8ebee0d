import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENVELOPE_LIMITS } from '@app/domain';
import type { IntakeReceipt } from '@app/engine';

/** A department's event as it publishes it: a CloudEvent 1.0 in structured mode (libs/domain's CloudEventEnvelopeDto validates it, with the same ENVELOPE_LIMITS). */
export class CloudEventDto {
  @ApiProperty({ enum: ['1.0'] })
  specversion: '1.0';

  @ApiProperty({ ...ENVELOPE_LIMITS.id, description: 'Unique per source: a republished event with the same id and content is a duplicate, with other content a conflict.', example: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e01' })
  id: string;

  @ApiProperty({ pattern: ENVELOPE_LIMITS.sourcePattern, description: "The publishing department: the token's own.", example: '/departments/court' })
  source: string;

  @ApiProperty({ ...ENVELOPE_LIMITS.type, description: 'An event type of the catalogue the department may publish (GET /v1/departments on the query API).', example: 'credit.judgment-debtor.listed.v1' })
  type: string;

  @ApiProperty({ ...ENVELOPE_LIMITS.subject, description: "The subject's identifier; equals data.subject.id.", example: '91510802MA62XK0U3U' })
  subject: string;

  @ApiProperty({ format: 'date-time', description: 'RFC 3339 timestamp.', example: '2026-11-20T08:00:00+08:00' })
  time: string;

  @ApiPropertyOptional({ enum: ['application/json'] })
  datacontenttype?: string;

  @ApiPropertyOptional({ description: "URI of the schema of `data`." })
  dataschema?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload of the type (docs/asyncapi.json, components.schemas).' })
  data: Record<string, unknown>;
}

export const CLOUD_EVENT_EXAMPLE = {
  specversion: '1.0',
  id: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e01',
  source: '/departments/court',
  type: 'credit.judgment-debtor.listed.v1',
  subject: '91510802MA62XK0U3U',
  time: '2026-11-20T08:00:00+08:00',
  datacontenttype: 'application/json',
  data: {
    subject: { kind: 'enterprise', idType: 'USCC', id: '91510802MA62XK0U3U', name: '广元市利州区某某建材有限公司' },
    documentNumber: '（2026）川0802执1234号',
    decidedOn: '2026-11-20',
    reason: 'evading-execution',
  },
} as const satisfies CloudEventDto;

class AcceptedEventDto {
  @ApiProperty({ example: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e01' }) id: string;
  @ApiProperty({ example: 'credit.judgment-debtor.listed.v1' }) type: string;
  @ApiProperty({ example: '91510802MA62XK0U3U' }) subject: string;
  @ApiProperty({ description: 'Accepted before with the same content: stored once.', example: false }) duplicate: boolean;
}

export class IntakeReceiptDto implements IntakeReceipt {
  @ApiProperty({ type: [AcceptedEventDto], description: 'The events of the request, in its order.' })
  accepted: AcceptedEventDto[];
}

export const RECEIPT_EXAMPLE: IntakeReceiptDto = { accepted: [{ id: CLOUD_EVENT_EXAMPLE.id, type: CLOUD_EVENT_EXAMPLE.type, subject: CLOUD_EVENT_EXAMPLE.subject, duplicate: false }] };
