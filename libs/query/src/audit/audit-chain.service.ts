import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditChainEnds, AuditChainRepository } from '@app/persistence';

/**
 * Where a chain breaks, as the first row that does not hold:
 * - `altered`: the row's content no longer gives its stored hash (it was rewritten);
 * - `unlinked`: the row's prev_hash is not the hash of the row before it in its lane (or of the
 *   lane's anchor), so a row before it was deleted, or rewritten together with its hash;
 * - `unknown-lane`: the row names a lane the chain does not have;
 * - `head-missing`: a lane's head names a row after the last one left (its newest rows were deleted).
 */
export type AuditChainBreakKind = 'altered' | 'unlinked' | 'unknown-lane' | 'head-missing';

export interface AuditChainBreak {
  kind: AuditChainBreakKind;
  lane: number;
  /** The row where the break shows (for `head-missing`, the row the lane's head names). */
  id: string;
  at: Date | null;
  /** The row before it in its lane: `anchor` when it is the first row left there. */
  after: string;
  expected: string;
  stored: string;
}

export type AuditChainReport = { intact: true; rows: number; purgedBefore: string } | { intact: false; rows: number; purgedBefore: string; broken: AuditChainBreak };

const BATCH = 5000;

interface LaneState {
  id: string;
  hash: Buffer;
  label: string;
}

/**
 * Walks query_audit's hash chains (`npm run audit:verify`): every row in id order, each checked
 * against the previous row of its lane, then every lane's last row against its head.
 */
@Injectable()
export class AuditChainService {
  constructor(private readonly chain: AuditChainRepository) {}

  async verify(): Promise<AuditChainReport> {
    return this.chain.inSnapshot(async (snapshot) => {
      const ends = await snapshot.ends();
      const lanes = new Map<number, LaneState>(ends.map((end) => [end.lane, { id: end.anchorId, hash: end.anchorHash, label: 'anchor' }]));
      const purgedBefore = ends.reduce((max, end) => (BigInt(end.anchorId) > BigInt(max) ? end.anchorId : max), '0');
      let rows = 0;
      const broken = (kind: AuditChainBreakKind, lane: number, where: { id: string; at: Date | null }, after: string, expected: Buffer | null, stored: Buffer | null): AuditChainReport => ({
        intact: false,
        rows,
        purgedBefore,
        broken: { kind, lane, id: where.id, at: where.at, after, expected: hex(expected), stored: hex(stored) },
      });

      for (let afterId = '0'; ; ) {
        const links = await snapshot.links(afterId, BATCH);
        for (const link of links) {
          const previous = lanes.get(link.lane);
          if (!previous) return broken('unknown-lane', link.lane, link, 'nothing', null, null);
          if (!link.prevHash.equals(previous.hash)) return broken('unlinked', link.lane, link, previous.label, previous.hash, link.prevHash);
          const expected = rowHash(link.prevHash, link.canonical);
          if (!expected.equals(link.hash)) return broken('altered', link.lane, link, previous.label, expected, link.hash);
          lanes.set(link.lane, { id: link.id, hash: link.hash, label: `row ${link.id}` });
          rows++;
        }
        if (links.length < BATCH) break;
        afterId = links[links.length - 1].id;
      }
      const cut = ends.find((end: AuditChainEnds) => {
        const last = lanes.get(end.lane)!;
        return last.id !== end.headId || !last.hash.equals(end.headHash);
      });
      if (cut) {
        const last = lanes.get(cut.lane)!;
        return broken('head-missing', cut.lane, { id: cut.headId, at: null }, last.label, cut.headHash, last.hash);
      }
      return { intact: true, rows, purgedBefore };
    });
  }
}

/** The trigger's hash, recomputed outside the database: sha256(prev_hash || canonical text). */
export function rowHash(prevHash: Buffer, canonical: string): Buffer {
  return createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}

function hex(value: Buffer | null): string {
  return value ? value.toString('hex') : '(none)';
}

/** One line for the operator: what broke, where, and the two hashes. */
export function describeAuditChainReport(report: AuditChainReport): string {
  const purged = report.purgedBefore === '0' ? '' : ` (rows up to ${report.purgedBefore} purged)`;
  if (report.intact) return `query_audit: ${report.rows} rows${purged}, chain intact`;
  const { kind, lane, id, at, after, expected, stored } = report.broken;
  const where = `row ${id}${at ? ` (${at.toISOString()})` : ''}`;
  const what: Record<AuditChainBreakKind, string> = {
    altered: `${where} was altered: its content does not give its stored hash`,
    unlinked: `${where} does not follow ${after} of lane ${lane}: a row between them was deleted, or ${after} was rewritten with a new hash`,
    'unknown-lane': `${where} names lane ${lane}, which the chain does not have`,
    'head-missing': `lane ${lane}'s head names ${where} but its last row is ${after === 'anchor' ? 'its anchor' : after}: the newest rows were deleted`,
  };
  return `query_audit chain broken after ${report.rows} intact rows${purged}: ${what[kind]}; expected ${expected}, stored ${stored}`;
}
