import { DynamicModule, Global, INestApplication, LogLevel, Module, NestApplicationOptions, Type } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import { readFileSync } from 'node:fs';
import { AppConfig, ConfigError, HttpPlatform, LogFormat } from '@app/config';
import { createExpressApp } from './express-app';
import { createFastifyApp } from './fastify-app';
import { HttpEdge, Serving } from './http-edge';
import { HttpRequestMetrics } from './http-request.metrics';
import { bootFailureLine, loggingModule, loggingParams, LoggingOptions, logProcessWarnings, nestLoggerOf, pinoOptions } from './json-logging';
import { ManagementAccess } from './management-access';
import { RequestObserver } from './request-log';
import { answerMalformedRequests } from './malformed-request';

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
  /** The app's name in every log line, and how lines are written. */
  app: string;
  logFormat?: LogFormat;
}

/** What every app has whatever its module: the pino logger (nestjs-pino) and the HTTP request metrics, which /metrics adds to its sources. */
@Global()
@Module({})
class HttpObservabilityModule {
  static forRoot(logging: Params, metrics: HttpRequestMetrics): DynamicModule {
    return { module: HttpObservabilityModule, imports: [loggingModule(logging)], providers: [{ provide: HttpRequestMetrics, useValue: metrics }], exports: [HttpRequestMetrics] };
  }
}

@Module({})
class HttpAppRoot {}

/**
 * Create and configure an app the same way everywhere, on either platform: security headers,
 * no caching, the management token before routing, CloudEvents' JSON media types accepted with
 * bounded bodies, one error filter, shutdown hooks so SIGTERM drains cleanly.
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, logLevel: LogLevel = 'log', options: HttpAppOptions): Promise<INestApplication> {
  const logging: LoggingOptions = { app: options.app, level: logLevel, format: options.logFormat ?? 'json' };
  // One pino logger for the app: Nest's lines, the requests' and the edge's own.
  const logger = pino(pinoOptions(logging));
  logProcessWarnings(logger);
  const params = loggingParams(logger);
  const nest: NestApplicationOptions = {
    bodyParser: false,
    logger: nestLoggerOf(params),
    // A module that cannot be built (a refused configuration) reaches exitOnBootFailure's one line.
    abortOnError: false,
  };
  const metrics = new HttpRequestMetrics();
  const root: DynamicModule = { module: HttpAppRoot, imports: [HttpObservabilityModule.forRoot(params, metrics), module] };
  const edge: HttpEdge = { bodyLimits: options.bodyLimits ?? [], serving: options.serving ?? {}, management: options.management, observer: new RequestObserver(metrics, logger) };
  const app = options.platform === 'fastify' ? await createFastifyApp(root, nest, edge) : await createExpressApp(root, nest, edge);
  answerMalformedRequests(app.getHttpServer());
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
}

/** A failed boot prints one clear line (a ConfigError names the variable) and exits non-zero. */
export function exitOnBootFailure(app: string): (error: unknown) => void {
  return (error: unknown) => {
    process.stderr.write(bootFailureLine(app, `${app} failed to start: ${error instanceof Error ? error.message : String(error)}`));
    // Not at once: a boot that fails early leaves V8's background compile jobs running, and an exit
    // while one waits for a main-thread GC deadlocks in Node's platform shutdown (nodejs/node#54918,
    // seen once here on Node 26: the process hung after this line). The event loop serves them first.
    process.exitCode = 1;
    setTimeout(() => process.exit(1), BOOT_FAILURE_EXIT_DELAY_MS);
  };
}

/** Long enough for pending background compile jobs to finish, short for a supervisor waiting on the exit. */
const BOOT_FAILURE_EXIT_DELAY_MS = 250;
