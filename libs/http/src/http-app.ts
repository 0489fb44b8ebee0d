import { DynamicModule, INestApplication, LogLevel, NestApplicationOptions, Type } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { AppConfig, ConfigError, HttpPlatform } from '@app/config';
import { createExpressApp } from './express-app';
import { createFastifyApp } from './fastify-app';
import { HttpEdge, Serving } from './http-edge';
import { ManagementAccess } from './management-access';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The serving settings of the configuration, with the TLS files read (a missing one stops the boot naming it). */
export function servingOf(config: Pick<AppConfig, 'HTTPS_KEY_FILE' | 'HTTPS_CERT_FILE' | 'TRUSTED_PROXY'>): Serving {
  const read = (variable: 'HTTPS_KEY_FILE' | 'HTTPS_CERT_FILE') => {
    try {
      return readFileSync(config[variable]!);
    } catch (error) {
      throw new ConfigError([`${variable}=${config[variable]}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
    }
  };
  return {
    ...(config.HTTPS_KEY_FILE && config.HTTPS_CERT_FILE ? { https: { key: read('HTTPS_KEY_FILE'), cert: read('HTTPS_CERT_FILE') } } : {}),
    ...(config.TRUSTED_PROXY ? { trustProxy: config.TRUSTED_PROXY } : {}),
  };
}

export interface HttpAppOptions {
  platform: HttpPlatform;
  bodyLimits?: HttpEdge['bodyLimits'];
  serving?: Serving;
  management: ManagementAccess;
}

/**
 * Create and configure an app the same way everywhere, on either platform: security headers,
 * no caching, the management token before routing, CloudEvents' JSON media types accepted with
 * bounded bodies, one error filter, shutdown hooks so SIGTERM drains cleanly.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, logLevel: LogLevel = 'log', options: HttpAppOptions): Promise<INestApplication> {
  const nest: NestApplicationOptions = {
    bodyParser: false,
    logger: LEVELS.slice(0, LEVELS.indexOf(logLevel) + 1),
    // A module that cannot be built (a refused configuration) reaches exitOnBootFailure's one line.
    abortOnError: false,
  };
  const edge: HttpEdge = { bodyLimits: options.bodyLimits ?? [], serving: options.serving ?? {}, management: options.management };
  const app = options.platform === 'fastify' ? await createFastifyApp(module, nest, edge) : await createExpressApp(module, nest, edge);
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
}

/** A failed boot prints one clear line (a ConfigError names the variable) and exits non-zero. */
export function exitOnBootFailure(app: string): (error: unknown) => never {
  return (error: unknown) => {
    console.error(`${app} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
}
