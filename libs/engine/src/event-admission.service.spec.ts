import { join, resolve } from 'node:path';
import { AppConfig, loadAppConfig } from '@app/config';
import { CreditEvent, departmentOf, systemClock } from '@app/domain';
import { CreditEventGenerator } from '@app/rules/testing';
import { CatalogueService } from './catalogue.service';
import { EventAdmission, Publisher } from './event-admission.service';
import { ExchangeLinks } from './exchange/exchange-links';

const root = resolve(__dirname, '../../..');
const config: AppConfig = { ...loadAppConfig({}), RULES_DIR: join(root, 'rules'), DEPARTMENTS_FILE: join(root, 'config/departments.json'), RULES_RELOAD_INTERVAL_MS: 0 };
const catalogue = new CatalogueService(config);
/** This deployment is lizhou, linked to its city. */
const links = { config: { deployment: 'lizhou', links: [{ peer: 'guangyuan', outbound: { memoranda: ['judgment-debtors'] } }] } } as unknown as ExchangeLinks;
const admission = new EventAdmission(catalogue, links, systemClock);
const generator = new CreditEventGenerator({ seed: 17, strayPublisherRate: 0 });

/** The same event as each edge sees its publisher: the token's department, or the inbound topic's. */
function publishers(code: string): Publisher[] {
  return [
    { via: 'http', department: catalogue.departments.get(code) },
    { via: 'kafka', topic: `credit.inbound.${code}.v1`, department: code },
  ];
}

const publisherOf = (event: CreditEvent) => departmentOf(event.source)!;
const otherThan = (code: string) => catalogue.departments.all().find((d) => d.code !== code)!.code;
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'admitted', (error: { code: string }) => error.code);

describe('EventAdmission: one admission for the HTTP intake and the Kafka consumer', () => {
  const events = generator.take(40);
  /** The first generated event both edges admit. */
  const admitted = async () => {
    for (const event of events) if ((await codeOf(admission.admit(event, publishers(publisherOf(event))[0]))) === 'admitted') return event;
    throw new Error('no generated event is admitted');
  };

  it('gives both edges the same answer for the same event, except conduct past its limitation, which only HTTP refuses', async () => {
    const answers: string[] = [];
    for (const event of events) {
      const [http, kafka] = await Promise.all(publishers(publisherOf(event)).map((publisher) => codeOf(admission.admit(JSON.parse(JSON.stringify(event)), publisher))));
      if (http === 'EVENT.CONDUCT_PAST_LIMIT') expect(kafka).toBe('admitted');
      else expect(kafka).toBe(http);
      answers.push(http);
    }
    expect(answers).toContain('admitted');
    expect(new Set(answers).size).toBeGreaterThan(1);
  });

  it('returns the typed event it admitted', async () => {
    const event = await admitted();
    for (const publisher of publishers(publisherOf(event))) expect(await admission.admit(JSON.parse(JSON.stringify(event)), publisher)).toEqual(event);
  });

  it('refuses the same way on both edges: a broken envelope, another department\'s source, a conduct ended in the future', async () => {
    const event = await admitted();
    const code = publisherOf(event);
    const future = { ...event, data: { ...event.data, conductEndedOn: '2999-01-01' } };
    for (const publisher of publishers(code)) {
      expect(await codeOf(admission.admit({ ...event, specversion: '0.3' }, publisher))).toBe('EVENT.NOT_CLOUDEVENT');
      expect(await codeOf(admission.admit(future, publisher))).toBe('EVENT.SCHEMA_VIOLATION');
    }
    for (const publisher of publishers(otherThan(code))) expect(await codeOf(admission.admit(event, publisher))).toBe('DEPARTMENT.SOURCE_MISMATCH');
  });

  it('names an unregistered source or topic DEPARTMENT.UNKNOWN from Kafka, and a source mismatch over HTTP', async () => {
    const valid = await admitted();
    const event = { ...valid, source: '/departments/ministry-of-magic' };
    const [http, kafka] = publishers(publisherOf(valid));
    expect(await codeOf(admission.admit(event, http))).toBe('DEPARTMENT.SOURCE_MISMATCH');
    expect(await codeOf(admission.admit(event, kafka))).toBe('DEPARTMENT.UNKNOWN');
    expect(await codeOf(admission.admit(valid, { via: 'kafka', topic: 'credit.inbound.nobody.v1', department: undefined }))).toBe('DEPARTMENT.UNKNOWN');
  });

  it('refuses a relayed event whose route has passed this deployment (EXCHANGE.LOOPED), before anything else is checked', async () => {
    const event = await admitted();
    const origin = { deployment: 'lizhou', department: publisherOf(event), source: event.source, eventId: event.id };
    const cameBack = { ...event, data: { ...event.data, provenance: { ...origin, route: 'lizhou>guangyuan' } } };
    for (const publisher of publishers(publisherOf(event))) expect(await codeOf(admission.admit(cameBack, publisher))).toBe('EXCHANGE.LOOPED');
    // A route that never passed here is not a loop: it is refused for what it is (only a peer deployment relays).
    const fromElsewhere = { ...event, data: { ...event.data, provenance: { ...origin, deployment: 'zhaohua', route: 'zhaohua>guangyuan' } } };
    for (const publisher of publishers(publisherOf(event))) expect(await codeOf(admission.admit(fromElsewhere, publisher))).toBe('DEPARTMENT.PROVENANCE_NOT_ALLOWED');
  });
});
