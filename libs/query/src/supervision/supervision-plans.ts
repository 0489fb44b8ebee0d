import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CatalogueService, CreditClassCatalogue } from '@app/engine';
import { loadSupervisionPlans, SupervisionPlan } from './supervision-config';
import { Frequency, PERIODS_PER_YEAR } from './supervision-period';

/** What a department's plan says about one class: the credit check's `supervision`. */
export interface ClassSupervision {
  planned: true;
  inspectionRatio: number;
  /** How often the class is drawn (the plan's frequency, or the class's own longer one). */
  frequency: Frequency;
  /** inspectionRatio × periods a year: how often a subject of the class is inspected on average (D at 100% a quarter: 4). */
  expectedInspectionsPerYear: number;
}

/**
 * The department has a plan for the model but not the subject's class: a class given under an
 * earlier revision of the model's file that the model no longer has. Spot-check draws that meet
 * it are refused (SUPERVISION.CLASSES_STALE) until the engine's revision sweep reclassifies it.
 */
export interface UnplannedClassSupervision {
  planned: false;
  reason: 'class-not-in-plan';
}

/** The credit check's `supervision`: null only when the department has no plan for the model. */
export type ClassSupervisionOf = ClassSupervision | UnplannedClassSupervision | null;

/** The department's ratio and frequency for a class of a model; `planned: false` for a class its plan for the model lacks; null when it has no plan for the model. */
export function classSupervisionOf(plans: readonly SupervisionPlan[], department: string, model: string, cls: string): ClassSupervisionOf {
  const plan = plans.find((p) => p.department === department && p.model === model);
  if (!plan) return null;
  const planned = plan.classes.get(cls);
  if (!planned) return { planned: false, reason: 'class-not-in-plan' };
  const { inspectionRatio, frequency } = planned;
  return { planned: true, inspectionRatio, frequency, expectedInspectionsPerYear: Math.round(inspectionRatio * PERIODS_PER_YEAR[frequency] * 1e6) / 1e6 };
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

  classSupervision(department: string, model: string, cls: string): ClassSupervisionOf {
    return classSupervisionOf(this.plans, department, model, cls);
  }
}
