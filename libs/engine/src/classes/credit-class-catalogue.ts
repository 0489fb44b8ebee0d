import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CreditClassEvaluator, CreditClassModel, loadClassModels, SanctionPublicityMonths } from '@app/rules';
import { CatalogueService } from '../catalogue.service';

/**
 * The credit class models of rules/classes, checked at start-up against the departments
 * registry and the instrument catalogue: a broken model stops the boot (RULES.INVALID_FILE with
 * every problem), as a broken memorandum does. Read once; a model changes with a restart.
 */
@Injectable()
export class CreditClassCatalogue {
  private readonly logger = new Logger(CreditClassCatalogue.name);
  readonly models: readonly CreditClassModel[];
  readonly evaluators: ReadonlyMap<string, CreditClassEvaluator>;
  /** How long each association's sanctions count (the departments registry), as the credit check shows them. */
  readonly sanctionPublicity: SanctionPublicityMonths;

  constructor(config: AppConfig, catalogue: CatalogueService) {
    this.sanctionPublicity = (association) => catalogue.departments.sanctionPublicityMonths(association);
    this.models = loadClassModels(config.RULES_DIR, {
      knownDepartments: new Set(catalogue.departments.all().map((d) => d.code)),
      instruments: catalogue.rules.ruleSet.instruments,
    });
    this.evaluators = new Map(this.models.map((m) => [m.id, new CreditClassEvaluator(m)]));
    if (this.models.length > 0) this.logger.log(`credit class models: ${this.models.map((m) => `${m.id} ${m.version} (${m.revision})`).join(', ')}`);
  }

  model(id: string): CreditClassModel | undefined {
    return this.models.find((m) => m.id === id);
  }
}
