/**
 * What a console user may do. policy-editor (政策编辑) drafts memoranda; policy-approver (审批人)
 * approves releases, never their own; credit-office (信用办) sees the district at a glance;
 * auditor (审计) reads everything and the audit. Every role reads the memoranda.
 */
export const CONSOLE_ROLES = ['policy-editor', 'policy-approver', 'credit-office', 'auditor'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

/** A signed-in person as every console service sees them, whichever identity provider vouched for them. */
export interface ConsoleUser {
  id: string;
  name: string;
  roles: readonly ConsoleRole[];
}
