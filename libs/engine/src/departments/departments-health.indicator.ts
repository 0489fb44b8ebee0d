import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DepartmentDirectory } from './department-directory';

/**
 * Readiness reports when the departments registry was loaded and whether a later edit was
 * refused, never failing on it: the last good registry keeps authenticating. The reasons are in
 * the log only; health is open to anyone who reaches the port.
 */
@Injectable()
export class DepartmentsHealthIndicator {
  constructor(
    private readonly directory: DepartmentDirectory,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'departments'): HealthIndicatorResult {
    const { directory } = this;
    return this.indicators.check(key).up({
      loadedAt: directory.loadedAt.toISOString(),
      ...(directory.lastRefusedAt ? { lastRefusal: { at: directory.lastRefusedAt.toISOString(), reason: 'the departments file on disk was refused; see the log' } } : {}),
    });
  }
}
