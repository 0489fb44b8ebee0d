import type { ConsoleUser } from './console-roles';

/**
 * Who vouches for a person signing in. The console ships the password implementation
 * (PasswordIdentityService); the government's unified identity (统一身份认证, OpenID Connect)
 * is a second implementation of this interface: its `authenticate` takes the authorization
 * code of the redirect back from the provider, checks the ID token, and maps its subject to a
 * console_user row (roles stay in our table, granted here, not by the provider). Sessions,
 * CSRF and the audit sit above this interface and do not change.
 */
export interface IdentityProvider {
  /** `password` for the shipped implementation; `oidc` for the government's. */
  readonly kind: string;
  /** Who the credentials sign in, or a refusal (the caller answers no more than that). */
  authenticate(credentials: SignInCredentials): Promise<Authentication>;
}

/**
 * A refusal names the account the credentials were for, when there is one (wrong password, or
 * disabled), for the audit only: what was typed as a name is never kept, since it may be a
 * password typed into the wrong field or someone's personal data.
 */
export type Authentication = { user: ConsoleUser } | { user: null; account: string | null };

export interface SignInCredentials {
  name: string;
  password: string;
}

export const IDENTITY_PROVIDER = Symbol('IdentityProvider');
