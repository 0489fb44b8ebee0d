import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from './openapi/problem-responses';
import { ALL_EVENT_TYPES, EventSchemaError, publishedEventSchema } from '@app/domain';

/** What both platforms' replies offer (Fastify's reply, Express's response). */
interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body?: string): unknown;
}

/** The schemas change only with a deployment of the engine: a day in caches, revalidated by ETag after. */
const CACHE_CONTROL = 'public, max-age=86400';

/**
 * The JSON Schema of each credit event type, the whole CloudEvent (draft 2020-12), at the
 * stable URL a `dataschema` may name: /schemas/<type>.json. Open: a schema tells no data.
 */
@ApiTags('event schemas')
@Controller('schemas')
export class EventSchemasController {
  private readonly etags = new Map<string, string>();

  @Get(':file')
  @ApiOperation({ summary: "An event type's JSON Schema (the whole CloudEvent, draft 2020-12)", security: [] })
  @ApiParam({ name: 'file', description: 'An event type and `.json`', example: 'credit.judgment-debtor.listed.v1.json', enum: ALL_EVENT_TYPES.map((type) => `${type}.json`) })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy held: 304 when it is current.' })
  @ApiProduces('application/schema+json')
  @ApiOkResponse({
    description: 'The schema (application/schema+json), with an ETag and Cache-Control: public.',
    content: { 'application/schema+json': { schema: { type: 'object', description: 'A JSON Schema (draft 2020-12) of the whole CloudEvent of the type', additionalProperties: true } } },
  })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current.' })
  @ApiProblems('SCHEMA.UNKNOWN_TYPE')
  schema(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: Reply): void {
    const published = publishedEventSchema(file);
    // The name asked for is not quoted back: it is the caller's text, and error messages may be logged.
    if (!published) throw new EventSchemaError('SCHEMA.UNKNOWN_TYPE', `no event schema of that name; the schemas are /schemas/<type>.json for the types ${ALL_EVENT_TYPES.join(', ')}`);
    const etag = this.etagOf(file, published.text);
    reply.header('Cache-Control', CACHE_CONTROL).header('ETag', etag);
    if (matches(ifNoneMatch, etag)) {
      reply.status(304).send();
      return;
    }
    reply.status(200).header('Content-Type', 'application/schema+json; charset=utf-8').send(published.text);
  }

  private etagOf(file: string, text: string): string {
    let etag = this.etags.get(file);
    if (!etag) this.etags.set(file, (etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`));
    return etag;
  }
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of entity tags compared weakly. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
