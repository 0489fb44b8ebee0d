import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import type { TokenHolder } from '@app/domain';

export type RateLimitKind = 'department' | 'address';

/** Prometheus view of the HTTP edge: requests refused by a limit or by backoff, addresses waiting out a backoff, failed authentications, and when each token was last used. */
@Injectable()
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly rateLimited = new Counter<'limit'>({ name: 'credit_http_rate_limited_total', help: 'Requests answered 429 REQUEST.RATE_LIMITED, by limit (department, address)', labelNames: ['limit'], registers: [this.registry] });
  private readonly authFailures = new Counter({ name: 'credit_http_auth_failures_total', help: 'Requests with a bearer token the departments registry does not accept', registers: [this.registry] });
  private readonly backoffRefusals = new Counter({ name: 'credit_http_auth_backoff_refusals_total', help: 'Requests answered 429 DEPARTMENT.AUTH_BACKOFF: their address failed authentication too often', registers: [this.registry] });
  /** Last use per department and token label: when a rotated-out token is no longer used, it can be revoked. */
  private readonly lastUse = new Map<string, { department: string; label: string; at: number }>();
  /** The backoff whose waiting addresses are shown, read at scrape time. */
  private backoff?: { waiting(): number };

  constructor() {
    const lastUse = this.lastUse;
    const metrics = this;
    new Gauge({
      name: 'credit_http_auth_backoff_waiting_addresses',
      help: 'Client addresses now waiting out an authentication backoff (a rising count is someone guessing tokens from many addresses)',
      registers: [this.registry],
      collect() {
        this.set(metrics.backoff?.waiting() ?? 0);
      },
    });
    new Gauge<'department' | 'label'>({
      name: 'credit_department_token_last_used_timestamp_seconds',
      help: 'When this app last accepted a department token, by department and token label (since the app started)',
      labelNames: ['department', 'label'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const use of lastUse.values()) this.set({ department: use.department, label: use.label }, Math.floor(use.at / 1000));
      },
    });
    for (const limit of ['department', 'address'] as const) this.rateLimited.inc({ limit }, 0);
  }

  limited(kind: RateLimitKind): void {
    this.rateLimited.inc({ limit: kind });
  }

  authenticationFailed(): void {
    this.authFailures.inc();
  }

  backoffRefused(): void {
    this.backoffRefusals.inc();
  }

  /** Show how many addresses `backoff` keeps waiting. */
  watchBackoff(backoff: { waiting(): number }): void {
    this.backoff = backoff;
  }

  tokenUsed(holder: TokenHolder, at = Date.now()): void {
    const key = `${holder.department.code}\u0000${holder.label}`;
    const use = this.lastUse.get(key);
    if (use) use.at = at;
    else this.lastUse.set(key, { department: holder.department.code, label: holder.label, at });
  }
}
