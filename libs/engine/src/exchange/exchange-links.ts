import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CatalogueService } from '../catalogue.service';
import { ExchangeConfig, loadExchangeConfig, peersFor } from './exchange-config';

/**
 * The exchange links of EXCHANGE_FILE, checked at start-up against the departments registry: a
 * broken file stops the boot (EXCHANGE.INVALID_CONFIG). Unset: this deployment exchanges nothing.
 */
@Injectable()
export class ExchangeLinks {
  private readonly logger = new Logger(ExchangeLinks.name);
  readonly config: ExchangeConfig | undefined;

  constructor(appConfig: AppConfig, catalogue: CatalogueService) {
    if (appConfig.EXCHANGE_FILE === undefined) return;
    this.config = loadExchangeConfig(appConfig.EXCHANGE_FILE, { departments: new Map(catalogue.departments.all().map((d) => [d.code, d])) });
    const described = this.config.links.map((link) => `${link.peer} (${[link.outbound ? `out: ${link.outbound.memoranda.join(', ')}` : '', link.inbound ? `in: as ${link.inbound.publisher}` : ''].filter(Boolean).join('; ')})`);
    this.logger.log(`exchange: deployment ${this.config.deployment}, links ${described.join(', ') || 'none'}`);
  }

  /** The peers the events of these memoranda go to; none when nothing is configured. */
  peersFor(memoranda: Iterable<string>): string[] {
    return this.config === undefined ? [] : peersFor(this.config, memoranda);
  }
}
