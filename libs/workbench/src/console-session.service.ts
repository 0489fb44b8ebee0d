import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/config';
import { ConsoleSessionRepository } from '@app/persistence';
import { CONSOLE_ROLES, ConsoleRole, ConsoleUser } from './console-roles';
import { ConsoleAuditService } from './console-audit.service';
import { ConsoleError } from './console.errors';
import { consoleUserOf } from './password-identity.service';
import { IDENTITY_PROVIDER, IdentityProvider, SignInCredentials } from './identity-provider';

/** A live session as a request sees it: who, and the token its state-changing requests must send. */
export interface ConsoleSession {
  user: ConsoleUser;
  csrfToken: string;
}

export interface OpenedSession extends ConsoleSession {
  /** For the cookie only; the table keeps its SHA-256. */
  token: string;
  expiresAt: Date;
}

/** The audit's user name for a refused sign-in whose name is no account's (no account name has parentheses). */
export const UNKNOWN_USER = '(unknown user)';

const MAX_NAME_LENGTH = 64;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Server-side sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie, its
 * SHA-256 in console_session; signing out or disabling the user ends it at once (a signed
 * cookie could not be taken back). Each session has its own CSRF token (synchronizer token).
 */
@Injectable()
export class ConsoleSessionService {
  constructor(
    private readonly sessions: ConsoleSessionRepository,
    private readonly audit: ConsoleAuditService,
    private readonly config: AppConfig,
    @Inject(IDENTITY_PROVIDER) private readonly identity: IdentityProvider,
  ) {}

  /** `replacing`: the session token the browser sent along, ended here so no session outlives a sign-in in the same browser. */
  async signIn(credentials: SignInCredentials, address: string | undefined, replacing?: string): Promise<OpenedSession> {
    const { name, password } = credentials;
    if (typeof name !== 'string' || typeof password !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      throw new ConsoleError('CONSOLE.INVALID_SIGN_IN', `give a name (1–${MAX_NAME_LENGTH} characters) and a password`);
    }
    const authentication = await this.identity.authenticate({ name, password });
    if (!authentication.user) {
      await this.audit.record({ userName: authentication.account ?? UNKNOWN_USER, action: 'sign-in', outcome: 'refused', address });
      throw new ConsoleError('CONSOLE.BAD_CREDENTIALS', 'wrong name or password');
    }
    const { user } = authentication;
    if (replacing) await this.sessions.end(sha256(replacing), new Date());
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.CONSOLE_SESSION_HOURS * 3_600_000);
    await this.sessions.open({ tokenSha256: sha256(token), userId: user.id, csrfToken, expiresAt });
    await this.audit.record({ userName: user.name, action: 'sign-in', outcome: 'ok', address });
    return { user, csrfToken, token, expiresAt };
  }

  /** The session of a cookie's token, or null when there is none, it ended, expired or its user was disabled. */
  async resolve(token: string | undefined): Promise<ConsoleSession | null> {
    if (!token) return null;
    const live = await this.sessions.findLive(sha256(token), new Date());
    return live ? { user: consoleUserOf(live.user), csrfToken: live.session.csrfToken } : null;
  }

  async signOut(token: string, session: ConsoleSession, address: string | undefined): Promise<void> {
    await this.sessions.end(sha256(token), new Date());
    await this.audit.record({ userName: session.user.name, action: 'sign-out', outcome: 'ok', address });
  }
}

/** A state-changing request's token must be the session's (never empty); compared in constant time. */
export function assertCsrfToken(expected: string, sent: string | undefined): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(sent ?? '');
  if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ConsoleError('CONSOLE.CSRF_REFUSED', 'this request needs the X-CSRF-Token header of the signed-in page');
  }
}

export function assertRole(user: ConsoleUser, allowed: readonly ConsoleRole[]): void {
  if (!user.roles.some((role) => allowed.includes(role))) {
    throw new ConsoleError('CONSOLE.ROLE_REQUIRED', `this page is for ${allowed.join(' or ')}`, { required: allowed.filter((r) => CONSOLE_ROLES.includes(r)) });
  }
}

function sha256(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
