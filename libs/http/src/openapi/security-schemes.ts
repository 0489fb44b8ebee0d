/** Security scheme names of the OpenAPI documents: what `@ApiSecurity(DEPARTMENT_SECURITY)` on a controller refers to. */
export const DEPARTMENT_SECURITY = 'department';
export const MANAGEMENT_SECURITY = 'management';
/** The policy console's session cookie (apps/console): people signed in, not departments' systems. */
export const CONSOLE_SECURITY = 'consoleSession';
