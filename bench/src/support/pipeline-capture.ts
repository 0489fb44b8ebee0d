import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Client } from 'pg';

/**
 * What ours wrote and sent for each inbound event, captured after ours's run so the limit
 * probe (../limit-pipeline.ts) can write the same rows and send the same bytes without
 * deciding anything. Captured rather than recomputed: the rows and records are then exactly
 * ours's (lifecycle changes, refusals and red-list supersession included, which depend on
 * what the database held when ours decided), and no second implementation can drift.
 *
 * The file is NDJSON, one line per row or record, each naming the inbound event (its
 * CloudEvents id) it belongs to.
 */
export type CaptureLine =
  | { kind: 'row'; event: string; table: CapturedTable; json: string }
  | { kind: 'record'; event: string; department: string; key: string | null; headers: Record<string, string>; value: string }
  | { kind: 'dead-letter'; event: string; code: string; message: string };

/** The product tables ours writes while deciding, in an order that satisfies their references. */
export const CAPTURED_TABLES = ['measure_terms', 'inbound_event', 'decision', 'list_entry', 'measure_task', 'lifecycle_change', 'feed_record', 'dead_letter'] as const;
export type CapturedTable = (typeof CAPTURED_TABLES)[number];

/** The id part of a cause key (`<source>/<id>`, see causeKeyOf): sources contain slashes, ids do not. */
const ID_OF_CAUSE_KEY = `substring(%s from '[^/]*$')`;
const idOfCause = (column: string) => ID_OF_CAUSE_KEY.replace('%s', column);

/**
 * Each table's rows whole (row_to_json: every column, seq and timestamps included, as ours
 * left them after its run), with the inbound event they belong to. A measure-terms row is
 * shared by every decision that cites it; it goes with the first decision (in issue order)
 * that does, where ours first inserted it.
 */
const ROWS_BY_EVENT: Record<CapturedTable, string> = {
  measure_terms: `SELECT (SELECT d.cause_event_id FROM decision d, jsonb_array_elements(d.record->'measureTasks') t WHERE t->>'terms' = m.ref ORDER BY d.issued_at, d.id LIMIT 1) AS event, row_to_json(m)::text AS json FROM measure_terms m`,
  inbound_event: `SELECT r.event_id AS event, row_to_json(r)::text AS json FROM inbound_event r`,
  decision: `SELECT r.cause_event_id AS event, row_to_json(r)::text AS json FROM decision r`,
  list_entry: `SELECT d.cause_event_id AS event, row_to_json(r)::text AS json FROM list_entry r JOIN decision d ON d.id = r.decision_id`,
  measure_task: `SELECT d.cause_event_id AS event, row_to_json(r)::text AS json FROM measure_task r JOIN decision d ON d.id = r.decision_id`,
  lifecycle_change: `SELECT DISTINCT ON (r.id) ${idOfCause('f.cause_key')} AS event, row_to_json(r)::text AS json FROM lifecycle_change r JOIN feed_record f ON f.lifecycle_change_id = r.id ORDER BY r.id, f.seq`,
  feed_record: `SELECT ${idOfCause('r.cause_key')} AS event, row_to_json(r)::text AS json FROM feed_record r`,
  dead_letter: `SELECT r.event_id AS event, row_to_json(r)::text AS json FROM dead_letter r`,
};

/** A department record as it arrived on its topic. */
export interface ArrivedRecord {
  department: string;
  key: Buffer | null;
  headers: Record<string, unknown> | undefined;
  value: Buffer | null;
}

/**
 * Writes the capture of ours's run: every row of the product tables (as they stand after the
 * run) and every department record that arrived (keyed by its feed record's cause), plus the
 * dead-lettered events' reasons (the probe re-sends those messages to the dead-letter topic).
 * Returns how many lines of each kind were written.
 */
export async function writeCapture(
  client: Client,
  records: readonly ArrivedRecord[],
  file: string,
): Promise<{ rows: number; rowsByTable: Record<CapturedTable, number>; records: number; deadLetters: number; unattributed: number }> {
  const out = createWriteStream(file);
  const write = async (line: CaptureLine) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  let rows = 0;
  const rowsByTable = Object.fromEntries(CAPTURED_TABLES.map((t) => [t, 0])) as Record<CapturedTable, number>;
  let unattributed = 0;
  for (const table of CAPTURED_TABLES) {
    const result = await client.query<{ event: string | null; json: string }>(ROWS_BY_EVENT[table]);
    for (const row of result.rows) {
      if (row.event === null) {
        unattributed++;
        continue;
      }
      await write({ kind: 'row', event: row.event, table, json: row.json });
      rows++;
      rowsByTable[table]++;
    }
  }
  const causes = new Map((await client.query<{ record_id: string; event: string }>(`SELECT record_id::text, ${idOfCause('cause_key')} AS event FROM feed_record`)).rows.map((r) => [r.record_id, r.event]));
  let sent = 0;
  for (const record of records) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.headers ?? {})) if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
    const event = causes.get(headers.ce_id ?? '');
    if (event === undefined) {
      unattributed++;
      continue;
    }
    await write({ kind: 'record', event, department: record.department, key: record.key?.toString('utf8') ?? null, headers, value: record.value?.toString('utf8') ?? '' });
    sent++;
  }
  const letters = await client.query<{ event: string; code: string; message: string }>(`SELECT event_id AS event, error_code AS code, message FROM dead_letter WHERE event_id IS NOT NULL`);
  for (const letter of letters.rows) await write({ kind: 'dead-letter', ...letter });
  out.end();
  await once(out, 'finish');
  return { rows, rowsByTable, records: sent, deadLetters: letters.rows.length, unattributed };
}

/** Rows per product table now: after the limit run, to compare with what ours left. */
export async function countRows(client: Client): Promise<Record<CapturedTable, number>> {
  const { rows } = await client.query<Record<CapturedTable, string>>(`SELECT ${CAPTURED_TABLES.map((t) => `(SELECT count(*) FROM "${t}") AS "${t}"`).join(', ')}`);
  return Object.fromEntries(CAPTURED_TABLES.map((t) => [t, Number(rows[0][t])])) as Record<CapturedTable, number>;
}

/** What the probe does for one inbound event. Rows and values are kept as UTF-8 bytes, off the JavaScript heap (the capture of a full run is hundreds of MB). */
export interface CapturedEvent {
  rows: Map<CapturedTable, Buffer[]>;
  records: { department: string; key: string | null; headers: Record<string, string>; value: Buffer }[];
  deadLetter?: { code: string; message: string };
}

export async function readCapture(file: string): Promise<Map<string, CapturedEvent>> {
  const events = new Map<string, CapturedEvent>();
  const of = (id: string) => {
    let event = events.get(id);
    if (!event) events.set(id, (event = { rows: new Map(), records: [] }));
    return event;
  };
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!text) continue;
    const line = JSON.parse(text) as CaptureLine;
    const event = of(line.event);
    if (line.kind === 'row') {
      const rows = event.rows.get(line.table);
      if (rows) rows.push(Buffer.from(line.json));
      else event.rows.set(line.table, [Buffer.from(line.json)]);
    } else if (line.kind === 'record') event.records.push({ department: line.department, key: line.key, headers: line.headers, value: Buffer.from(line.value) });
    else event.deadLetter = { code: line.code, message: line.message };
  }
  return events;
}
