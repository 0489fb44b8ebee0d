import { Counter, Histogram, Registry } from 'prom-client';

/** What one answered request is counted by: the route's template (never its values), so the label set stays small. */
export interface AnsweredRequest {
  method: string;
  /** The matched route's template (`/v1/events/:source/:id`), or undefined when no route matched. */
  route: string | undefined;
  status: number;
  seconds: number;
}

/** Requests no route matched (scans, typos) share one label value instead of one per path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Requests and their durations on every app, by method, route template and status: rate, latency and errors per app. */
export class HttpRequestMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter<'method' | 'route' | 'status'>({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  private readonly durations = new Histogram<'method' | 'route' | 'status'>({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  answered({ method, route, status, seconds }: AnsweredRequest): void {
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }
}
