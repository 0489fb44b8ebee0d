import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { ApiProblems, AuthBackoff, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { assertCsrfToken, ConsoleError, ConsoleSession, ConsoleSessionService, ConsoleUser } from '@app/workbench';
import { cookie, readCookie, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE } from './console-cookies';
import { ConsoleRequest, ConsoleSessionGuard, CurrentSession, headerOf } from './console-session.guard';
import { SESSION_SCHEMA, SignInDto } from './openapi/console.dto';

export interface SessionAnswer {
  user: ConsoleUser | null;
  csrfToken: string;
}

/** Wrong passwords before a name or an address waits: 1 s, then twice as long each time, up to five minutes. */
const SIGN_IN_BACKOFF = { freeFailures: 5, maxSeconds: 300 };

/** Sign-in, the session's state, sign-out: every state-changing request carries X-CSRF-Token. */
@ApiTags('console session')
@Controller('api/v1')
export class SessionController {
  private readonly byName = new AuthBackoff(SIGN_IN_BACKOFF);
  private readonly byAddress = new AuthBackoff(SIGN_IN_BACKOFF);

  constructor(private readonly sessions: ConsoleSessionService) {}

  @Get('session')
  @ApiOperation({ security: [], summary: 'Who is signed in, and the CSRF token the page sends back', description: 'Before sign-in `user` is null and the token is the one POST /api/v1/sign-in must carry (a cookie holds its twin).' })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiProblems('SERVICE.UNAVAILABLE')
  async current(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionAnswer> {
    const session = await this.sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (session) return { user: session.user, csrfToken: session.csrfToken };
    const csrfToken = readCookie(request.headers.cookie, SIGN_IN_CSRF_COOKIE) ?? randomBytes(32).toString('base64url');
    reply.header('Set-Cookie', cookie(SIGN_IN_CSRF_COOKIE, csrfToken, { secure: request.protocol === 'https' }));
    return { user: null, csrfToken };
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ security: [], summary: 'Sign in with a name and password', description: 'Sets the session cookie (HttpOnly, SameSite=Strict, Secure over TLS) and answers the session CSRF token.' })
  @ApiBody({ type: SignInDto })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiProblems('CONSOLE.INVALID_SIGN_IN', 'CONSOLE.BAD_CREDENTIALS', 'CONSOLE.CSRF_REFUSED', 'CONSOLE.SIGN_IN_BACKOFF', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'SERVICE.UNAVAILABLE')
  async signIn(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: Partial<SignInDto> | undefined): Promise<SessionAnswer> {
    assertCsrfToken(readCookie(request.headers.cookie, SIGN_IN_CSRF_COOKIE) ?? '', headerOf(request, 'x-csrf-token'));
    const name = typeof body?.name === 'string' ? body.name : '';
    const address = clientAddress(request);
    const wait = Math.max(this.byName.retryAfterSeconds(name), this.byAddress.retryAfterSeconds(address));
    if (wait > 0) throw new ConsoleError('CONSOLE.SIGN_IN_BACKOFF', `too many wrong passwords; try again in ${wait} s`, { retryAfterSeconds: wait });
    try {
      const opened = await this.sessions.signIn({ name: body?.name as string, password: body?.password as string }, address);
      this.byName.succeeded(name);
      this.byAddress.succeeded(address);
      reply.header('Set-Cookie', cookie(SESSION_COOKIE, opened.token, { secure: request.protocol === 'https', maxAgeSeconds: Math.floor((opened.expiresAt.getTime() - Date.now()) / 1000) }));
      return { user: opened.user, csrfToken: opened.csrfToken };
    } catch (error) {
      if (error instanceof ConsoleError && error.code === 'CONSOLE.BAD_CREDENTIALS') {
        this.byName.failed(name);
        this.byAddress.failed(address);
      }
      throw error;
    }
  }

  @Post('sign-out')
  @HttpCode(200)
  @UseGuards(ConsoleSessionGuard)
  @ApiSecurity(CONSOLE_SECURITY)
  @ApiOperation({ summary: 'Sign out: the session ends at once' })
  @ApiBody({ required: false, schema: { type: 'object' } })
  @ApiOkResponse({ schema: { type: 'object', required: ['signedOut'], properties: { signedOut: { type: 'boolean' } } } })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.CSRF_REFUSED', 'SERVICE.UNAVAILABLE')
  async signOut(@Req() request: ConsoleRequest, @CurrentSession() session: ConsoleSession, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ signedOut: boolean }> {
    await this.sessions.signOut(request.sessionToken!, session, clientAddress(request));
    reply.header('Set-Cookie', cookie(SESSION_COOKIE, '', { secure: request.protocol === 'https', maxAgeSeconds: 0 }));
    return { signedOut: true };
  }
}
