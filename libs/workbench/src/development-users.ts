import type { ConsoleRole } from './console-roles';

/**
 * The console's users on the embedded default (`npm start`), one per role, like the departments'
 * dev-<code>-token: the password of `<name>` is `dev-<name>-password`. Created at start-up
 * outside production; in production the console refuses to start while one of them still
 * signs in with that password.
 */
export const DEVELOPMENT_USERS: ReadonlyArray<{ name: string; roles: readonly ConsoleRole[] }> = [
  { name: 'editor', roles: ['policy-editor'] },
  { name: 'approver', roles: ['policy-approver'] },
  { name: 'office', roles: ['credit-office'] },
  { name: 'auditor', roles: ['auditor'] },
];

export function developmentPassword(name: string): string {
  return `dev-${name}-password`;
}
