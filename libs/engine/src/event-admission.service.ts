import { Inject, Injectable } from '@nestjs/common';
import { assertConductEndNotInFuture, chinaDate, Clock, CreditEvent, Department, DepartmentError, departmentOf, hasLooped, parseCreditEventFast, prepareParseCreditEventFast } from '@app/domain';
import { CatalogueService } from './catalogue.service';
import { CLOCK } from './clock.token';
import { assertConductUsable } from './conduct-limitation';
import { ExchangeError } from './exchange/exchange.errors';
import { ExchangeLinks } from './exchange/exchange-links';

/** Who published an event: the department of the bearer token, or the department whose inbound topic it came on. */
export type Publisher = { via: 'http'; department: Department } | { via: 'kafka'; topic: string; department: string | undefined };

/**
 * The one admission of an inbound event, whichever edge it came through: the CloudEvent is
 * parsed and validated against its type, its source must be its publisher, the publisher may
 * publish its type and list, and its conduct may not end in the future. Two differences
 * between the edges are kept on purpose:
 * - Over HTTP, conduct past its limitation is refused at once (EVENT.CONDUCT_PAST_LIMIT): the
 *   department is waiting for the answer. From Kafka the event is decided, and the engine tells
 *   the departments with a sanction.refused record: nobody waits for a reply on a topic.
 * - From Kafka, a source or topic naming no registered department is DEPARTMENT.UNKNOWN (the
 *   dead letter says so) before source and topic are compared; over HTTP the source is compared
 *   with the authenticated department straight away (DEPARTMENT.SOURCE_MISMATCH).
 * On both, a relayed event whose route has passed this deployment is refused (EXCHANGE.LOOPED).
 */
@Injectable()
export class EventAdmission {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly exchange: ExchangeLinks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // At boot, so that the first event admitted does not wait for the validator to compile.
    prepareParseCreditEventFast();
  }

  async admit(body: unknown, publisher: Publisher, now: Date = this.clock.now()): Promise<CreditEvent> {
    const event = parseCreditEventFast(body);
    this.refuseLooped(event);
    // One registry for the whole admission: a reload in between cannot split it.
    const registry = this.catalogue.departments;
    if (publisher.via === 'http') {
      registry.authorisePublication(publisher.department, event);
      await assertConductUsable(event, this.catalogue.rules, now);
      return event;
    }
    const code = departmentOf(event.source);
    if (!code || !registry.has(code)) throw new DepartmentError('DEPARTMENT.UNKNOWN', `source "${event.source}" is not a registered department`, { source: event.source });
    if (!publisher.department || !registry.has(publisher.department)) {
      throw new DepartmentError('DEPARTMENT.UNKNOWN', `topic "${publisher.topic}" is not a registered department's inbound topic`, { topic: publisher.topic });
    }
    // Throws DEPARTMENT.SOURCE_MISMATCH when the source names another department than the topic's.
    registry.authorisePublication(registry.get(publisher.department), event);
    assertConductEndNotInFuture(event, chinaDate(now));
    return event;
  }

  private refuseLooped(event: CreditEvent): void {
    const here = this.exchange.config?.deployment;
    const provenance = event.data.provenance;
    if (here === undefined || provenance === undefined || !hasLooped(provenance, here)) return;
    throw new ExchangeError('EXCHANGE.LOOPED', `event ${provenance.source}/${provenance.eventId} has come back to deployment "${here}" (route ${provenance.route}): it was decided here already`, { route: provenance.route, deployment: here });
  }
}
