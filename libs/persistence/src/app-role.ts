/**
 * The PostgreSQL role the apps run as in production (created by migration 1764979200000, no
 * password: the operator sets one). Fixed, because migrations grant to it by name; two
 * deployments on one PostgreSQL server therefore share it (give each its own server).
 */
export const APP_ROLE = 'credit_engine_app';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * Every table of the schema and what the app role may do to it: exactly what the repositories
 * need. A migration that adds a table grants its row here too, or test/integration/app-role.spec.ts
 * fails (a table the apps cannot reach would only show in production, where they run as this role).
 */
export const APP_TABLE_PRIVILEGES = {
  inbound_event: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], // DELETE: a receipt the ingest could not produce
  dead_letter: ['SELECT', 'INSERT'],
  decision: ['SELECT', 'INSERT'],
  list_entry: ['SELECT', 'INSERT', 'UPDATE'],
  measure_task: ['SELECT', 'INSERT', 'UPDATE'],
  feed_record: ['SELECT', 'INSERT', 'UPDATE'],
  lifecycle_change: ['SELECT', 'INSERT'], // written once, rendered from ever after
  measure_terms: ['SELECT', 'INSERT'], // written once by the first decision citing them, served by reference
  feedback: ['SELECT', 'INSERT'],
  query_audit: ['SELECT', 'INSERT'], // append-only; the purge goes through purge_query_audit()
  query_audit_chain: ['SELECT'], // written by query_audit's trigger, as the owner
  rule_release: ['SELECT', 'INSERT', 'UPDATE'], // UPDATE: the approval of a draft
  console_user: ['SELECT', 'INSERT', 'UPDATE'], // UPDATE: a new password, a disabled user
  console_session: ['SELECT', 'INSERT', 'UPDATE'], // UPDATE: signed out
  console_audit: ['SELECT', 'INSERT'], // append-only
  credit_commitment: ['SELECT', 'INSERT', 'UPDATE'], // UPDATE: kept, broken, its breach announced
  credit_class: ['SELECT', 'INSERT', 'UPDATE'], // UPDATE: the class recomputed
  credit_class_history: ['SELECT', 'INSERT'], // append-only
  supervision_sample: ['SELECT', 'INSERT'], // written once: a sample is never redrawn
  credit_report: ['SELECT', 'INSERT'], // a report is kept as issued
  exchange_outbox: ['SELECT', 'INSERT', 'UPDATE'], // a copy for a peer, written with its decision; UPDATE: published
  situation_bulletin: ['SELECT', 'INSERT'], // a bulletin is kept as issued
  coordination_case: ['SELECT', 'INSERT', 'UPDATE'], // opened with its decision; UPDATE: closed by its minutes, once
  coordination_acknowledgement: ['SELECT', 'INSERT'], // once per department
  migrations: ['SELECT'], // production apps only check that the schema is current
} as const satisfies Record<string, readonly TablePrivilege[]>;

export type ProductTable = keyof typeof APP_TABLE_PRIVILEGES;
