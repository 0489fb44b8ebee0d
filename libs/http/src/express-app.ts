import { DynamicModule, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { requestMediaType, unsupportedMediaType } from './body-media-type';
import { DomainErrorFilter } from './domain-error.filter';
import { serveProblemTypes } from './problem-types.route';
import { DEFAULT_BODY_LIMIT_BYTES, HttpEdge, JSON_TYPES, pathOf } from './http-edge';
import { MANAGEMENT_PATHS, managementCheck } from './management-access';
import { echoTrace } from './request-trace';

/** The edge on Express: middleware in the order the Fastify edge runs its hooks. */
export async function createExpressApp(module: Type<unknown> | DynamicModule, nest: NestApplicationOptions, edge: HttpEdge): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { ...nest, ...(edge.serving.https ? { httpsOptions: edge.serving.https } : {}) });
  if (edge.serving.trustProxy) app.set('trust proxy', edge.serving.trustProxy);
  // First of all middleware, so every answer (a refusal before routing too) carries the request's ids and is counted.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    echoTrace(request, response);
    response.once('finish', () => {
      // Nest mounts middleware (the logger's) as a wildcard route: no route of ours is one, so that means none matched.
      const path = request.route ? `${request.baseUrl}${(request.route as { path: string }).path}` : undefined;
      const route = path?.includes('*') ? undefined : path;
      edge.observer.answered(request, { method: request.method, route, status: response.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
    next();
  });
  // Security headers (and no X-Powered-By); the API documents' page is the only HTML, its scripts are served from 'self'.
  app.use(helmet());
  // Answers carry personal data (feeds, checks, tasks, even masked public lists): no cache keeps a copy.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  const filter = new DomainErrorFilter(app.getHttpAdapter());
  // Before Swagger's routes and Nest's: /docs is plain Express, /metrics a controller.
  const check = managementCheck(edge.management);
  if (check) {
    app.use([...MANAGEMENT_PATHS], (request: Request, response: Response, next: NextFunction) => {
      const refusal = check(pathOf(request.originalUrl), request.headers.authorization);
      if (refusal) filter.send(refusal, response);
      else next();
    });
  }
  // Before routing, as on Fastify: a body that is not UTF-8 JSON is refused unread.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const refusal = unsupportedMediaType(request.headers);
    if (refusal) filter.send(refusal, response);
    else next();
  });
  // The first parser to read a body marks it read; later ones pass it on, so specific paths go first.
  for (const limit of edge.bodyLimits) app.use(limit.path, jsonBody(limit.bytes, filter, limit.mediaType ? [limit.mediaType] : JSON_TYPES));
  app.use(jsonBody(DEFAULT_BODY_LIMIT_BYTES, filter, JSON_TYPES));
  serveProblemTypes(app, filter);
  app.useGlobalFilters(filter);
  return app;
}

/** body-parser's errors (413 over the limit, 400 unparseable) happen before routing: answered by the same filter. */
function jsonBody(limitBytes: number, filter: DomainErrorFilter, types: string[]): RequestHandler {
  // The type by the request's one parse of its Content-Type (body-parser would match it again itself).
  const parse = json({ type: (request) => types.includes(requestMediaType(request.headers as { 'content-type'?: string })?.essence ?? ''), limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      filter.send(error, response);
    });
}
