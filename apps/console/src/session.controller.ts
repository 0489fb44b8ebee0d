import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { ApiProblems, clientAddress, CONSOLE_SECURITY } from '@app/http';
import { assertCsrfToken, ConsoleError, ConsoleSession, ConsoleSessionService, ConsoleUser } from '@app/workbench';
import { cookie, readCookie, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE } from './console-cookies';
import { ConsoleRequest, ConsoleSessionGuard, CurrentSession, headerOf } from './console-session.guard';
import { SESSION_SCHEMA, SignInDto } from './openapi/console.dto';
import { SignInThrottle } from './sign-in-throttle';

export interface SessionAnswer {
  user: ConsoleUser | null;
  csrfToken: string;
}

/** Sign-in, the session's state, sign-out: every state-changing request carries X-CSRF-Token. */
@ApiTags('console session')
@Controller('api/v1')
export class SessionController {
  private readonly throttle = new SignInThrottle();

  constructor(private readonly sessions: ConsoleSessionService) {}

  @Get('session')
  @ApiOperation({ security: [], summary: 'Who is signed in, and the CSRF token the page sends back', description: 'Before sign-in `user` is null and the token is the one POST /api/v1/sign-in must carry (a cookie holds its twin).' })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiProblems('SERVICE.UNAVAILABLE')
  async current(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionAnswer> {
    const session = await this.sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (session) return { user: session.user, csrfToken: session.csrfToken };
    const csrfToken = readCookie(request.headers.cookie, SIGN_IN_CSRF_COOKIE) ?? newCsrfToken();
    reply.header('Set-Cookie', cookie(SIGN_IN_CSRF_COOKIE, csrfToken, { secure: request.protocol === 'https' }));
    return { user: null, csrfToken };
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ security: [], summary: 'Sign in with a name and password', description: 'Sets a new session cookie (HttpOnly, SameSite=Strict, Secure over TLS), removes the sign-in form\'s `console_csrf` cookie, ends any session whose cookie came along, and answers the new session\'s CSRF token.' })
  @ApiBody({ type: SignInDto })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiProblems('CONSOLE.INVALID_SIGN_IN', 'CONSOLE.BAD_CREDENTIALS', 'CONSOLE.CSRF_REFUSED', 'CONSOLE.SIGN_IN_BACKOFF', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'SERVICE.UNAVAILABLE')
  async signIn(@Req() request: ConsoleRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: Partial<SignInDto> | undefined): Promise<SessionAnswer> {
    assertCsrfToken(readCookie(request.headers.cookie, SIGN_IN_CSRF_COOKIE) ?? '', headerOf(request, 'x-csrf-token'));
    const name = typeof body?.name === 'string' ? body.name : '';
    const address = clientAddress(request);
    this.throttle.reserve(name, address);
    try {
      const opened = await this.sessions.signIn({ name: body?.name as string, password: body?.password as string }, address, readCookie(request.headers.cookie, SESSION_COOKIE));
      this.throttle.signedIn(name, address);
      const secure = request.protocol === 'https';
      // New session, new token: the sign-in form's token (which a planted cookie could have chosen) ends here.
      reply.header('Set-Cookie', [
        cookie(SESSION_COOKIE, opened.token, { secure, maxAgeSeconds: Math.floor((opened.expiresAt.getTime() - Date.now()) / 1000) }),
        cookie(SIGN_IN_CSRF_COOKIE, '', { secure, maxAgeSeconds: 0 }),
      ]);
      return { user: opened.user, csrfToken: opened.csrfToken };
    } catch (error) {
      // A wrong password stays counted; anything else was no guess.
      if (!(error instanceof ConsoleError && error.code === 'CONSOLE.BAD_CREDENTIALS')) this.throttle.abandoned(name, address);
      throw error;
    }
  }

  @Post('sign-out')
  @HttpCode(200)
  @UseGuards(ConsoleSessionGuard)
  @ApiSecurity(CONSOLE_SECURITY)
  @ApiOperation({ summary: 'Sign out: the session ends at once', description: 'Removes the session cookie and sets a new sign-in form token in `console_csrf` (GET /api/v1/session answers it).' })
  @ApiBody({ required: false, schema: { type: 'object' } })
  @ApiOkResponse({ schema: { type: 'object', required: ['signedOut'], properties: { signedOut: { type: 'boolean' } } } })
  @ApiProblems('CONSOLE.NOT_SIGNED_IN', 'CONSOLE.CSRF_REFUSED', 'SERVICE.UNAVAILABLE')
  async signOut(@Req() request: ConsoleRequest, @CurrentSession() session: ConsoleSession, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ signedOut: boolean }> {
    await this.sessions.signOut(request.sessionToken!, session, clientAddress(request));
    const secure = request.protocol === 'https';
    // The next sign-in form gets a token no earlier page has seen.
    reply.header('Set-Cookie', [cookie(SESSION_COOKIE, '', { secure, maxAgeSeconds: 0 }), cookie(SIGN_IN_CSRF_COOKIE, newCsrfToken(), { secure })]);
    return { signedOut: true };
  }
}

function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
