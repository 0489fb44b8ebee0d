import { Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock, DepartmentRegistry, systemClock } from '@app/domain';
import { FilePoller } from '../file-poller';
import { loadDepartmentRegistry } from './departments-file';

/**
 * The departments registry in force, re-read when DEPARTMENTS_FILE changes: a rotated token
 * works and a revoked one is refused from the next poll on, without a restart. A broken or
 * refused file is logged with its reasons while the last good registry keeps running. The set
 * of departments itself is fixed for the life of the process: topics and rule references are
 * checked against it at start-up, so adding or removing one takes a restart.
 */
export class DepartmentDirectory {
  private readonly logger = new Logger('DepartmentsRegistry');
  private active: DepartmentRegistry;
  private readonly file: FilePoller;
  loadedAt: Date;
  reloads = 0;
  refusals = 0;
  /** When the file on disk was last refused (until a reload succeeds); why is in the log line, not here: health is open to anyone. */
  lastRefusedAt?: Date;

  constructor(
    private readonly config: Pick<AppConfig, 'DEPARTMENTS_FILE' | 'DEPARTMENTS_RELOAD_INTERVAL_MS' | 'NODE_ENV'>,
    private readonly clock: Clock = systemClock,
  ) {
    this.active = loadDepartmentRegistry(config.DEPARTMENTS_FILE, config.NODE_ENV);
    this.file = new FilePoller(() => [config.DEPARTMENTS_FILE]);
    this.loadedAt = clock.now();
  }

  get current(): DepartmentRegistry {
    return this.active;
  }

  watch(intervalMs = this.config.DEPARTMENTS_RELOAD_INTERVAL_MS): void {
    this.file.start(intervalMs, () => this.reloadIfChanged());
  }

  stop(): void {
    this.file.stop();
  }

  reloadIfChanged(): boolean {
    if (!this.file.changed()) return false;
    try {
      const next = loadDepartmentRegistry(this.config.DEPARTMENTS_FILE, this.config.NODE_ENV);
      const problems = departmentSetProblems(this.active, next);
      if (problems.length > 0) throw new Error(problems.join('; '));
      this.logger.log(`departments registry reloaded: ${tokenChanges(this.active, next) || 'no token changed'}`);
      this.active = next;
      this.loadedAt = this.clock.now();
      this.lastRefusedAt = undefined;
      this.reloads++;
      return true;
    } catch (error) {
      const message = (error as Error).message;
      this.lastRefusedAt = this.clock.now();
      this.refusals++;
      this.logger.error(`departments registry refused, still running the one loaded at ${this.loadedAt.toISOString()}: ${message}`);
      return false;
    }
  }
}

function departmentSetProblems(current: DepartmentRegistry, next: DepartmentRegistry): string[] {
  const added = next.all().filter((d) => !current.has(d.code)).map((d) => d.code);
  const removed = current.all().filter((d) => !next.has(d.code)).map((d) => d.code);
  const problems: string[] = [];
  if (added.length > 0) problems.push(`departments added (${added.join(', ')}): adding a department takes a restart (its topics are created and the rules checked against it at start-up)`);
  if (removed.length > 0) problems.push(`departments removed (${removed.join(', ')}): removing a department takes a restart; to lock one out now, revoke its tokens`);
  return problems;
}

/** "court +t-20261207-101500 −legacy ~spare": labels added, removed and changed, for the log; hashes are not printed. */
function tokenChanges(current: DepartmentRegistry, next: DepartmentRegistry): string {
  const byLabel = (registry: DepartmentRegistry, code: string) => new Map(registry.get(code).credentials.tokens.map((t) => [t.label, `${t.sha256}|${t.notAfter ?? ''}`]));
  return next
    .all()
    .map(({ code }) => {
      const [before, after] = [byLabel(current, code), byLabel(next, code)];
      const changes = [
        ...[...after.keys()].filter((l) => !before.has(l)).map((l) => `+${l}`),
        ...[...before.keys()].filter((l) => !after.has(l)).map((l) => `−${l}`),
        ...[...after].filter(([l, value]) => before.has(l) && before.get(l) !== value).map(([l]) => `~${l}`),
      ];
      return changes.length > 0 ? `${code} ${changes.join(' ')}` : '';
    })
    .filter(Boolean)
    .join('; ');
}
