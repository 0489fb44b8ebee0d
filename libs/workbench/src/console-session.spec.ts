import { assertCsrfToken, assertRole } from './console-session.service';

describe('console request checks', () => {
  it('takes only the very token, never an empty one', () => {
    expect(() => assertCsrfToken('abc', 'abc')).not.toThrow();
    for (const sent of [undefined, '', 'abd', 'abcd']) expect(() => assertCsrfToken('abc', sent)).toThrow(expect.objectContaining({ code: 'CONSOLE.CSRF_REFUSED' }));
    expect(() => assertCsrfToken('', '')).toThrow(expect.objectContaining({ code: 'CONSOLE.CSRF_REFUSED' }));
  });

  it('lets a user through with one of the roles a page names', () => {
    const office = { id: 'u', name: 'office', roles: ['credit-office'] as const };
    expect(() => assertRole(office, ['credit-office', 'auditor'])).not.toThrow();
    expect(() => assertRole(office, ['policy-editor'])).toThrow(expect.objectContaining({ code: 'CONSOLE.ROLE_REQUIRED', context: { required: ['policy-editor'] } }));
  });
});
