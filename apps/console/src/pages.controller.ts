import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_WEB_DIR } from './console-web';

/**
 * The single-page app's own addresses, each answered with its index.html, so a reload or a
 * shared link opens the page; every other path stays a Problem Details 404.
 */
@ApiExcludeController()
@Controller()
export class PagesController {
  private index?: string;

  @Get(['/', 'sign-in', 'memoranda', 'memoranda/:id', 'memoranda/:id/draft', 'overview', 'bulletins', 'releases', 'what-if'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return (this.index ??= readFileSync(join(CONSOLE_WEB_DIR, 'index.html'), 'utf8'));
  }
}
