import type { MeasureCategory, MeasureTarget } from '@app/rules';

export type DepartmentRole = 'implementing' | 'cooperating';

/** How the receiving department takes part in a measure task, if it does (decision and lifecycle records alike). */
export function departmentRole(task: { implementingDepartment: string; cooperatingDepartments: readonly string[] }, department: string): DepartmentRole | undefined {
  if (task.implementingDepartment === department) return 'implementing';
  return task.cooperatingDepartments.includes(department) ? 'cooperating' : undefined;
}

/**
 * Another signatory's measure as a department sees it: what kind of measure, who applies it, in
 * which roles and on how many targets — never who the targets are. One contract for every record
 * family, so a department reads `otherMeasures` the same way on issue and on every later change.
 */
export interface OtherMeasures {
  code: string;
  category: MeasureCategory;
  implementingDepartment: string;
  targetRoles: MeasureTarget[];
  targets: number;
}

/** What summariseOthers needs of a task: planned (PlannedMeasureTask) or stored (TaskState). */
export interface SummarisedTask {
  measureCode: string;
  category: MeasureCategory;
  implementingDepartment: string;
  targetRole: MeasureTarget;
}

/** Other signatories' tasks, one line per measure code, in the order the codes first appear. */
export function summariseOthers(tasks: readonly SummarisedTask[]): OtherMeasures[] {
  const byCode = new Map<string, OtherMeasures>();
  for (const task of tasks) {
    let line = byCode.get(task.measureCode);
    if (!line) byCode.set(task.measureCode, (line = { code: task.measureCode, category: task.category, implementingDepartment: task.implementingDepartment, targetRoles: [], targets: 0 }));
    if (!line.targetRoles.includes(task.targetRole)) line.targetRoles.push(task.targetRole);
    line.targets++;
  }
  return [...byCode.values()];
}
