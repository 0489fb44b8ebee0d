import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { DepartmentDirectory } from './department-directory';

/** Prometheus view of the departments registry: reloads, refusals, and tokens about to end. */
@Injectable()
export class DepartmentsMetrics {
  readonly registry = new Registry();

  constructor(directory: DepartmentDirectory) {
    new Counter({
      name: 'credit_departments_registry_reloads_total',
      help: 'Edits of DEPARTMENTS_FILE taken up while running',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(directory.reloads);
      },
    });
    new Counter({
      name: 'credit_departments_registry_refusals_total',
      help: 'Edits of DEPARTMENTS_FILE refused (broken, or a development token in production); the last good registry kept running',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(directory.refusals);
      },
    });
    new Gauge({
      name: 'credit_departments_registry_refused',
      help: '1 while the departments file on disk is refused and an older registry is in force',
      registers: [this.registry],
      collect() {
        this.set(directory.lastRefusedAt ? 1 : 0);
      },
    });
    new Gauge({
      name: 'credit_departments_registry_loaded_timestamp_seconds',
      help: 'When the departments registry in force was loaded',
      registers: [this.registry],
      collect() {
        this.set(Math.floor(directory.loadedAt.getTime() / 1000));
      },
    });
    new Gauge<'department' | 'label'>({
      name: 'credit_department_token_not_after_timestamp_seconds',
      help: 'When a department token with an end (notAfter) stops being accepted',
      labelNames: ['department', 'label'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const department of directory.current.all()) {
          for (const token of department.credentials.tokens) {
            if (token.notAfter) this.set({ department: department.code, label: token.label }, Math.floor(Date.parse(token.notAfter) / 1000));
          }
        }
      },
    });
  }
}
