import { AuthBackoff } from './auth-backoff';
import { HttpMetrics } from './http.metrics';

describe('HttpMetrics', () => {
  it('shows the addresses the backoff keeps waiting, as they are at scrape time', async () => {
    let now = 0;
    const backoff = new AuthBackoff({ freeFailures: 0, maxSeconds: 60 }, () => now);
    const metrics = new HttpMetrics();
    const waiting = async () => (await metrics.registry.getSingleMetric('credit_http_auth_backoff_waiting_addresses')!.get()).values[0].value;
    expect(await waiting()).toBe(0);
    metrics.watchBackoff(backoff);
    backoff.failed('10.0.0.1');
    backoff.failed('10.0.0.2');
    expect(await waiting()).toBe(2);
    now += 1001;
    expect(await waiting()).toBe(0);
  });
});
