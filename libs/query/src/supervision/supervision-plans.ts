import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { loadSupervisionPlans, SupervisionPlan } from './supervision-config';
import { Frequency, PERIODS_PER_YEAR } from './supervision-period';

/** What a department's plan says about one class: the credit check's `supervision`. */
export interface ClassSupervision {
  inspectionRatio: number;
  /** How often the class is drawn (the plan's frequency, or the class's own longer one). */
  frequency: Frequency;
  /** inspectionRatio × periods a year: how often a subject of the class is inspected on average (D at 100% a quarter: 4). */
  expectedInspectionsPerYear: number;
}

/**
 * The supervision plans of SUPERVISION_FILE, checked at start-up against the departments
 * registry and the class models: an unknown department, model or class code, or a class
 * without its ratio, stops the boot (SUPERVISION.INVALID_CONFIG). Read once.
 */
@Injectable()
export class SupervisionPlans {
  private readonly logger = new Logger(SupervisionPlans.name);
  readonly plans: readonly SupervisionPlan[];

  constructor(config: AppConfig, catalogue: CatalogueService, classModels: CreditClassCatalogue) {
    this.plans = loadSupervisionPlans(config.SUPERVISION_FILE, {
      departments: new Map(catalogue.departments.all().map((d) => [d.code, d])),
      models: classModels.models,
    });
    this.logger.log(`supervision plans: ${this.plans.map((p) => `${p.department}/${p.model} per ${p.frequency}`).join(', ') || 'none'}`);
  }

  ofDepartment(department: string): SupervisionPlan[] {
    return this.plans.filter((p) => p.department === department);
  }

  /** The department's ratio and frequency for a class of a model, or null when it has no plan for the model. */
  classSupervision(department: string, model: string, cls: string): ClassSupervision | null {
    const plan = this.plans.find((p) => p.department === department && p.model === model);
    const planned = plan?.classes.get(cls);
    if (!planned) return null;
    const { inspectionRatio, frequency } = planned;
    return { inspectionRatio, frequency, expectedInspectionsPerYear: Math.round(inspectionRatio * PERIODS_PER_YEAR[frequency] * 1e6) / 1e6 };
  }
}
