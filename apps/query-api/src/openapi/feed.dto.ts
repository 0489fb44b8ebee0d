import { ApiProperty } from '@nestjs/swagger';

/** Record schemas of libs/decision-log, put in the document's components under these names (QUERY_API_OPENAPI.schemas). */
export const RECORD_SCHEMA_NAMES = { decision: 'DecisionIssuedRecord', lifecycle: 'LifecycleRecord', refusal: 'RefusalRecord', creditClass: 'CreditClassChangedRecord', bulletin: 'BulletinIssuedRecord', coordination: 'CoordinationOpenedRecord', coordinationClosed: 'CoordinationClosedRecord', measureTerms: 'MeasureTerms' } as const;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export class FeedPageDto {
  @ApiProperty({ example: 'finance' })
  department: string;

  @ApiProperty({
    description: 'Records addressed to the department, oldest first: each the record as published (decision.issued, a lifecycle record, a refusal or a credit class change) with its feed `cursor`.',
    type: 'array',
    items: {
      allOf: [
        { oneOf: [ref(RECORD_SCHEMA_NAMES.decision), ref(RECORD_SCHEMA_NAMES.lifecycle), ref(RECORD_SCHEMA_NAMES.refusal), ref(RECORD_SCHEMA_NAMES.creditClass), ref(RECORD_SCHEMA_NAMES.bulletin), ref(RECORD_SCHEMA_NAMES.coordination), ref(RECORD_SCHEMA_NAMES.coordinationClosed)] },
        { type: 'object', required: ['cursor'], properties: { cursor: { type: 'string', description: 'The position of this record in the feed.', example: '42' } } },
      ],
    },
  })
  records: (Record<string, unknown> & { cursor: string })[];

  @ApiProperty({ description: "Pass as `after` to read on; equals the request's cursor when nothing new arrived.", example: '42' })
  nextCursor: string;
}

