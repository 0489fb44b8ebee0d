export type DepartmentRole = 'implementing' | 'cooperating';

/** How the receiving department takes part in a measure task, if it does (decision and lifecycle records alike). */
export function departmentRole(task: { implementingDepartment: string; cooperatingDepartments: readonly string[] }, department: string): DepartmentRole | undefined {
  if (task.implementingDepartment === department) return 'implementing';
  return task.cooperatingDepartments.includes(department) ? 'cooperating' : undefined;
}

/**
 * The other signatories' measures as a department sees them: how many targets each measure code
 * applies to (the subject and related persons), e.g. `{ "JD-01": 1, "JD-03": 3 }` — never who the
 * targets are or anything else a department's duty does not need. One contract for every record
 * family, so a department reads `otherMeasures` the same way on issue and on every later change;
 * what a code means is in the memorandum (rules/<id>.json) and in the measure terms it resolves.
 */
export type OtherMeasures = Record<string, number>;

/** Other signatories' tasks counted by measure code, in the order the codes first appear. */
export function summariseOthers(tasks: readonly { measureCode: string }[]): OtherMeasures {
  const counts: OtherMeasures = {};
  for (const task of tasks) counts[task.measureCode] = (counts[task.measureCode] ?? 0) + 1;
  return counts;
}
