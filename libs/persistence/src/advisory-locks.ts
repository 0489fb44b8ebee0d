/**
 * The PostgreSQL advisory-lock keys of the product, one per job that must run alone across
 * processes, declared together so that no two jobs can take the same key by accident. The values
 * only have to be the same in every app of a deployment; changing one while an older app still
 * runs would let both run the job at once.
 */
export const ADVISORY_LOCKS = {
  /** One app migrates the schema at a time; the others wait (a session lock). */
  schemaMigration: 72_016_141,
  /** One outbox relay publishes at a time (a session lock, held while it relays). */
  outboxRelay: 72_016_142,
  /** One lifecycle scheduler ticks at a time (a transaction lock, tried). */
  lifecycleScheduler: 72_016_143,
  /** One release is numbered at a time, so versions are consecutive (a transaction lock). */
  ruleReleaseVersion: 72_016_144,
  /**
   * The first of a two-key lock (the second: hashtext of the conduct) taken by an engine deciding a
   * conduct, so that two copies of it in two transactions are decided once (a transaction lock).
   */
  decidedConduct: 72_016_145,
  /** One exchange relay publishes what this deployment sends its peers at a time (a session lock). */
  exchangeRelay: 72_016_146,
  /** One situation bulletin is numbered at a time, so a year's numbers are consecutive (a transaction lock). */
  bulletinNumber: 72_016_147,
} as const satisfies Record<string, number>;

export type AdvisoryLock = keyof typeof ADVISORY_LOCKS;
