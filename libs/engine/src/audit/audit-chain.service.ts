import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditChainLink, AuditChainRepository } from '@app/persistence';

/**
 * Where the chain breaks, as the first row that does not hold:
 * - `altered`: the row's content no longer gives its stored hash (it was rewritten);
 * - `unlinked`: the row's prev_hash is not the hash of the row before it (or of the anchor),
 *   so a row before it was deleted, or rewritten together with its hash;
 * - `head-missing`: the chain head names a row after the last one left (the newest rows were deleted).
 */
export type AuditChainBreakKind = 'altered' | 'unlinked' | 'head-missing';

export interface AuditChainBreak {
  kind: AuditChainBreakKind;
  /** The row where the break shows (for `head-missing`, the row the head names). */
  id: string;
  at: Date | null;
  /** The row before it in the chain: `anchor` when it is the first row left after purges. */
  after: string;
  expected: string;
  stored: string;
}

export type AuditChainReport = { intact: true; rows: number; anchorId: string } | { intact: false; rows: number; anchorId: string; broken: AuditChainBreak };

const BATCH = 5000;

/** Walks query_audit's hash chain from its anchor to its head (`npm run audit:verify`). */
@Injectable()
export class AuditChainService {
  constructor(private readonly chain: AuditChainRepository) {}

  async verify(): Promise<AuditChainReport> {
    return this.chain.inSnapshot(async (snapshot) => {
      const ends = await snapshot.ends();
      let previous = { id: ends.anchorId, hash: ends.anchorHash, label: 'anchor' };
      let rows = 0;
      const broken = (kind: AuditChainBreakKind, link: Pick<AuditChainLink, 'id' | 'at'> | { id: string; at: null }, expected: Buffer, stored: Buffer | null) =>
        ({ intact: false, rows, anchorId: ends.anchorId, broken: { kind, id: link.id, at: link.at, after: previous.label, expected: hex(expected), stored: stored ? hex(stored) : '(none)' } }) as const;

      for (;;) {
        const links = await snapshot.links(previous.id, BATCH);
        for (const link of links) {
          if (!link.prevHash.equals(previous.hash)) return broken('unlinked', link, previous.hash, link.prevHash);
          const expected = rowHash(link.prevHash, link.canonical);
          if (!expected.equals(link.hash)) return broken('altered', link, expected, link.hash);
          previous = { id: link.id, hash: link.hash, label: `row ${link.id}` };
          rows++;
        }
        if (links.length < BATCH) break;
      }
      if (previous.id !== ends.headId || !previous.hash.equals(ends.headHash)) {
        return broken('head-missing', { id: ends.headId, at: null }, ends.headHash, previous.hash);
      }
      return { intact: true, rows, anchorId: ends.anchorId };
    });
  }
}

/** The trigger's hash, recomputed outside the database: sha256(prev_hash || canonical text). */
export function rowHash(prevHash: Buffer, canonical: string): Buffer {
  return createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}

function hex(value: Buffer): string {
  return value.toString('hex');
}

/** One line for the operator: what broke, where, and the two hashes. */
export function describeAuditChainReport(report: AuditChainReport): string {
  const purged = report.anchorId === '0' ? '' : ` after the purge anchor (row ${report.anchorId})`;
  if (report.intact) return `query_audit: ${report.rows} rows${purged}, chain intact`;
  const { kind, id, at, after, expected, stored } = report.broken;
  const where = `row ${id}${at ? ` (${at.toISOString()})` : ''}`;
  const what: Record<AuditChainBreakKind, string> = {
    altered: `${where} was altered: its content does not give its stored hash`,
    unlinked: `${where} does not follow ${after}: a row between them was deleted, or ${after} was rewritten with a new hash`,
    'head-missing': `the chain head names ${where} but the last row is ${after === 'anchor' ? 'the anchor' : after}: the newest rows were deleted`,
  };
  return `query_audit chain broken after ${report.rows} intact rows${purged}: ${what[kind]}; expected ${expected}, stored ${stored}`;
}
