import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { BilingualText, chinaDate, Clock, maskIdentifier, RequestError } from '@app/domain';
import { ListEntryRow, SubjectRecordRepository } from '@app/persistence';
import { CatalogueService, CLOCK } from '@app/engine';
import { isCursorInstant, UUID } from '../paging/cursor-instant';
import { QueryError } from '../query.errors';
import { pageLimit } from '../paging/page-request';

export const PUBLIC_LIST_TYPES = ['black', 'red'] as const;
export type PublicListType = (typeof PUBLIC_LIST_TYPES)[number];
export const MAX_PUBLIC_PAGE = 100;

export interface PublicListQuery {
  type?: string;
  list?: string;
  after?: string;
  limit?: number;
}

export interface PublicListEntry {
  list: { code: string; type: string; name: BilingualText | null };
  subject: { kind: string; name: string; idType: string; id: string };
  validFrom: string;
  validTo: string;
  identifyingDepartment: { code: string; name: BilingualText | null };
  documentNumber: string;
  disputed: boolean;
}

export interface PublicListPage {
  asOf: string;
  entries: PublicListEntry[];
  /** Opaque; pass as `after` for the next page. Null when this page is the last. */
  nextCursor: string | null;
}

/**
 * Public disclosure (信用公示) of the blacklists and red lists in force: no key-attention
 * list, nothing ended. Only what the entry publishes: never the explanation's facts, the
 * reason or related persons; natural persons' identifiers masked, or natural persons left
 * out altogether where the province does not publish them (PUBLIC_HIDE_NATURAL_PERSONS).
 */
@Injectable()
export class PublicDisclosureService {
  constructor(
    private readonly records: SubjectRecordRepository,
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: PublicListQuery): Promise<PublicListPage> {
    const listTypes = this.listTypes(query.type);
    const listCode = this.listCode(query.list, listTypes);
    const limit = pageLimit(query.limit, { fallback: 50, max: MAX_PUBLIC_PAGE });
    const after = query.after ? decodeCursor(query.after) : undefined;
    const today = chinaDate(this.clock.now());

    const rows = await this.records.publicListEntries({ listTypes, listCode, hideNaturalPersons: this.config.PUBLIC_HIDE_NATURAL_PERSONS, today, after, limit });
    const last = rows[rows.length - 1];
    return {
      asOf: today,
      entries: rows.map((row) => this.disclose(row)),
      nextCursor: rows.length === limit ? encodeCursor(last) : null,
    };
  }

  private disclose(row: ListEntryRow): PublicListEntry {
    const department = this.catalogue.departments.all().find((d) => d.code === row.identifyingDepartment);
    return {
      list: { code: row.listCode, type: row.listType, name: this.catalogue.rules.ruleSet.list(row.listCode)?.name ?? null },
      // Anything but a USCC is masked as a person's number would be: an unknown type must not leak.
      subject: { kind: row.subjectKind, name: row.subjectName, idType: row.subjectIdType, id: maskIdentifier(row.subjectIdType === 'USCC' ? 'USCC' : 'RESIDENT_ID', row.subjectId) },
      validFrom: row.validFrom,
      validTo: row.validTo,
      identifyingDepartment: { code: row.identifyingDepartment, name: department?.name ?? null },
      documentNumber: row.documentNumber,
      disputed: row.disputed,
    };
  }

  private listTypes(type: string | undefined): PublicListType[] {
    if (type === undefined || type === '') return [...PUBLIC_LIST_TYPES];
    if (!(PUBLIC_LIST_TYPES as readonly string[]).includes(type)) {
      throw new QueryError('PUBLIC.BAD_LIST_TYPE', `type must be one of ${PUBLIC_LIST_TYPES.join(', ')} (key-attention lists are not published)`, { type: type.slice(0, 40) });
    }
    return [type as PublicListType];
  }

  private listCode(code: string | undefined, types: PublicListType[]): string | undefined {
    if (code === undefined || code === '') return undefined;
    const published = this.catalogue.rules.ruleSet.memoranda.map((m) => m.list).filter((list) => (types as string[]).includes(list.type));
    if (!published.some((list) => list.code === code)) {
      throw new QueryError('PUBLIC.UNKNOWN_LIST', `unknown or unpublished list "${code.slice(0, 64)}"; published lists: ${published.map((l) => l.code).join(', ')}`, {
        list: code.slice(0, 64),
        known: published.map((l) => l.code),
      });
    }
    return code;
  }
}

function encodeCursor(row: ListEntryRow): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'string' && isCursorInstant(createdAt) && typeof id === 'string' && UUID.test(id)) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw new RequestError('REQUEST.BAD_CURSOR', 'after must be a cursor returned by a previous page');
}
