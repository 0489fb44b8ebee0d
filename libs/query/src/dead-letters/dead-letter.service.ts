import { Injectable } from '@nestjs/common';
import { Department } from '@app/domain';
import { DeadLetterRepository, DeadLetterRow, DeadLetterScope } from '@app/persistence';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService } from '../audit/query-audit.service';
import { CatalogueService } from '@app/engine';
import { DeadLetterError } from './dead-letter.errors';
import { pageLimit, sequenceCursor } from '../paging/page-request';

export interface DeadLetterView extends Omit<DeadLetterRow, 'receivedAt'> {
  receivedAt: string;
}

export interface DeadLetterDetail extends DeadLetterView {
  /** The message as received; null for a row masked before bodies were sealed (its preview is all that was kept). */
  raw: string | null;
}

export interface DeadLetterPage {
  department: string;
  deadLetters: DeadLetterView[];
  /** Pass as `after` to read on; equals the request's cursor when there is nothing newer. */
  nextCursor: string;
}

export const DEAD_LETTER_READ_ENDPOINT = AUDITED_ENDPOINTS.deadLetter;
export const MAX_DEAD_LETTER_PAGE = 200;
const ID = /^[1-9]\d{0,17}$/;
/** A subject attribute longer than this is no identifier: not copied into the audit log. */
const MAX_SUBJECT = 64;

/**
 * The publishing department reads the messages of its own that the engine refused, opened and
 * audited like any other read of personal data; a dead letter whose department cannot be told
 * (no department source, an unregistered one) is the credit office's.
 */
@Injectable()
export class DeadLetterService {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly catalogue: CatalogueService,
    private readonly audit: QueryAuditService,
  ) {}

  async read(caller: Department, id: string, userId?: string): Promise<DeadLetterDetail> {
    const user = normaliseUserId(userId);
    const row = ID.test(id) ? await this.deadLetters.find(id) : undefined;
    if (!row || !this.mayRead(caller, row.department)) {
      // Only a well-formed id is echoed: a path segment could be anything, a person's identifier included.
      throw new DeadLetterError('DEAD_LETTER.NOT_FOUND', ID.test(id) ? `no dead letter ${id} of yours` : 'no dead letter with that id of yours (ids are numbers)');
    }
    const raw = this.deadLetters.open(row) ?? null;
    const message = parse(raw);
    await this.audit.record({
      department: caller.code,
      userId: user,
      purpose: 'read own dead letter',
      subjectId: subjectOf(message),
      subjects: subjectsOf(message),
      endpoint: DEAD_LETTER_READ_ENDPOINT,
      resultCount: 1,
    });
    const { keyId: _key, sealed: _sealed, ...summary } = row;
    return { ...view(summary), raw };
  }

  /** Summaries only (a masked preview, no body), oldest first from `after`. */
  async listOwn(caller: Department, query: { after?: string; limit?: number }): Promise<DeadLetterPage> {
    const after = sequenceCursor(query.after);
    const limit = pageLimit(query.limit, { fallback: 50, max: MAX_DEAD_LETTER_PAGE });
    const rows = await this.deadLetters.list(this.scopeOf(caller), after, limit);
    return { department: caller.code, deadLetters: rows.map(view), nextCursor: rows.length > 0 ? rows[rows.length - 1].id : after };
  }

  private mayRead(caller: Department, owner: string | null): boolean {
    return owner !== null && this.catalogue.departments.has(owner) ? owner === caller.code : caller.assessesDepartments === true;
  }

  private scopeOf(caller: Department): DeadLetterScope {
    return caller.assessesDepartments === true ? { department: caller.code, unownedExcept: this.catalogue.departments.all().map((d) => d.code) } : { department: caller.code };
  }
}

function view(row: DeadLetterRow): DeadLetterView {
  return { ...row, receivedAt: new Date(row.receivedAt).toISOString() };
}

type Message = { subject?: unknown; data?: { subject?: { id?: unknown }; relatedPersons?: { id?: unknown }[] } } | null;

function parse(raw: string | null): Message {
  try {
    return raw === null ? null : (JSON.parse(raw) as Message);
  } catch {
    return null;
  }
}

/** The subject a structured-mode message names, for the audit row: whose record was read. */
function subjectOf(message: Message): string | null {
  return identifier(message?.subject);
}

/** Every subject the opened message names: its subject attribute, data.subject and the related persons. */
function subjectsOf(message: Message): string[] {
  const related = Array.isArray(message?.data?.relatedPersons) ? message.data.relatedPersons.map((person) => identifier(person?.id)) : [];
  return [subjectOf(message), identifier(message?.data?.subject?.id), ...related].filter((id): id is string => id !== null);
}

function identifier(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_SUBJECT ? value : null;
}
