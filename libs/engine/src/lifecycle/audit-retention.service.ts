import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, MINIMUM_AUDIT_RETENTION_DAYS } from '@app/config';
import { Clock } from '@app/domain';
import { AuditPurgeResult, QueryAuditRepository } from '@app/persistence';
import { CLOCK } from '../clock.token';

/**
 * Retention of the query log (查询日志): the scheduler's daily purge of entries older than
 * AUDIT_RETENTION_DAYS on the injected clock. The database refuses to purge anything younger than
 * the legal minimum, so a shorter setting (allowed outside production) purges at the minimum
 * instead of failing daily. Here, not beside the reads of the log, so the engine never imports the query side.
 */
@Injectable()
export class AuditRetention {
  private readonly logger = new Logger(AuditRetention.name);

  constructor(
    private readonly audit: QueryAuditRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async purgeExpired(): Promise<AuditPurgeResult> {
    const days = Math.max(this.config.AUDIT_RETENTION_DAYS, MINIMUM_AUDIT_RETENTION_DAYS);
    const result = await this.audit.purgeOlderThan(days, this.clock.now());
    if (result.kind === 'refused') {
      // Only when this clock runs ahead of the database's: the database keeps the rows, and says so once a day.
      this.logger.warn(`query audit purge refused by the database: cutoff ${result.cutoff.toISOString()} is less than ${MINIMUM_AUDIT_RETENTION_DAYS} days before its clock (is this engine's clock ahead?)`);
    } else if (result.rows > 0) {
      this.logger.log(`query audit: ${result.rows} entries older than ${days} days purged`);
    }
    return result;
  }
}
