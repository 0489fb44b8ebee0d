import { Controller, Get, Param, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { BulletinService, BulletinSummary } from '@app/query';
import { ConsoleAuditService, ConsoleSession } from '@app/workbench';
import { ConsoleRequest, ConsoleRoles, ConsoleSessionGuard, CurrentSession } from './console-session.guard';

/** The schema type the response decorators take. */
type SchemaObject = NonNullable<Extract<NonNullable<Parameters<typeof ApiOkResponse>[0]>, { schema?: unknown }>['schema']>;
const BULLETINS_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    bulletins: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          number: { type: 'string' },
          period: { type: 'object', properties: { kind: { type: 'string', enum: ['month', 'quarter'] }, label: { type: 'string' }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
          issuedBy: { type: 'string' },
          issuedAt: { type: 'string', format: 'date-time' },
          links: { type: 'object', properties: { json: { type: 'string' }, html: { type: 'string' }, pdf: { type: 'string' }, csv: { type: 'string' } } },
        },
      },
    },
  },
};

/** Situation bulletins (情况通报) in the console: the list, and each one's PDF, for the credit office and the auditor. */
@ApiTags('console situation bulletins')
@ApiSecurity(CONSOLE_SECURITY)
@Controller('api/v1/bulletins')
@UseGuards(ConsoleSessionGuard)
@ConsoleRoles('credit-office', 'auditor')
export class BulletinsController {
  constructor(
    private readonly bulletins: BulletinService,
    private readonly audit: ConsoleAuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The situation bulletins issued, latest period first' })
  @ApiOkResponse({ schema: BULLETINS_SCHEMA })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.ROLE_REQUIRED', 'SERVICE.UNAVAILABLE')
  async list(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest): Promise<{ bulletins: BulletinSummary[] }> {
    return this.audit.audited({ userName: session.user.name, action: 'read-bulletins', address: clientAddress(request) }, async () => ({ bulletins: await this.bulletins.list() }));
  }

  @Get(':number.pdf')
  @ApiOperation({ summary: 'A bulletin as PDF' })
  @ApiParam({ name: 'number', description: 'The bulletin number, URL-encoded.', schema: { type: 'string', example: '利信通〔2026〕11号' } })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.ROLE_REQUIRED', 'BULLETIN.NOT_FOUND', 'SERVICE.UNAVAILABLE')
  async pdf(@CurrentSession() session: ConsoleSession, @Req() request: ConsoleRequest, @Param('number') number: string, @Res({ passthrough: true }) reply: Pick<FastifyReply, 'header'>): Promise<StreamableFile> {
    const document = await this.audit.audited({ userName: session.user.name, action: 'download-bulletin', target: number.slice(0, 64), address: clientAddress(request) }, () => this.bulletins.document(number, 'pdf'));
    reply.header('Cache-Control', 'private, no-cache');
    return new StreamableFile(document.body, { type: document.contentType, disposition: `inline; filename*=UTF-8''${encodeURIComponent(document.number)}.pdf`, length: document.body.length });
  }
}
