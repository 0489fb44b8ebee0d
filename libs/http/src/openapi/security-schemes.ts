/** Security scheme names of the OpenAPI documents: what `@ApiSecurity(DEPARTMENT_SECURITY)` on a controller refers to. */
export const DEPARTMENT_SECURITY = 'department';
export const MANAGEMENT_SECURITY = 'management';
