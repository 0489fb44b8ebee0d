import { DynamicModule, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyHelmet from '@fastify/helmet';
import { json } from 'body-parser';
import type { FastifyContentTypeParser, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { requestMediaType, unsupportedMediaType } from './body-media-type';
import { DomainErrorFilter } from './domain-error.filter';
import { serveProblemTypes } from './problem-types.route';
import { bodyLimitFor, HttpEdge, JSON_TYPES, pathOf } from './http-edge';
import { isManagementPath, managementCheck } from './management-access';
import { echoTrace, traceOfRequest } from './request-trace';

/**
 * Route parameters are checked by the services, which answer a long one with their own code;
 * find-my-way's default (100 characters) would answer a 404 first. Node's header limit (16 KiB)
 * bounds the request line anyway.
 */
const MAX_PARAM_LENGTH = 16 * 1024;

/** Node's own default, which Fastify turns off: a request still arriving after five minutes is dropped. */
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * The edge on Fastify, answering as the Express edge does: hooks in the order of its middleware
 * (helmet's headers, no-store, the management check), and bodies read by the same body-parser,
 * so limits, strict JSON, charsets, encodings and their error codes cannot drift between the two.
 */
export async function createFastifyApp(module: Type<unknown> | DynamicModule, nest: NestApplicationOptions, edge: HttpEdge): Promise<NestFastifyApplication> {
  let filter: DomainErrorFilter | undefined;
  const adapter = new FastifyAdapter({
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      // Routes match as Express's router matches them: in any case, with or without a trailing slash.
      caseSensitive: false,
      ignoreTrailingSlash: true,
      // Express's "simple" query parser, so repeated, empty and odd parameters read the same.
      querystringParser: (query: string) => parseQuery(query),
    },
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Fastify's request id is the one logged and echoed (pino-http takes an id already there).
    genReqId: (raw: IncomingMessage) => traceOfRequest(raw).requestId,
    ...(edge.serving.trustProxy ? { trustProxy: edge.serving.trustProxy } : {}),
    ...(edge.serving.https ? { https: edge.serving.https } : {}),
    // A malformed URL (a bad percent-encoding) is refused before routing: in the same shape as every error.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => filter!.send(error, reply),
  });
  // httpsOptions here only tell Nest the scheme for getUrl(): Fastify's own `https` serves TLS.
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { ...nest, ...(edge.serving.https ? { httpsOptions: edge.serving.https } : {}) });
  filter = new DomainErrorFilter(app.getHttpAdapter());
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks, so every answer (a refusal before routing too) carries the request's ids and is counted.
  fastify.addHook('onRequest', (request, reply, done) => {
    echoTrace(request.raw, reply);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    edge.observer.answered(request.raw, { method: request.method, route: request.routeOptions.url, status: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    done();
  });
  // Security headers, as helmet's on Express; awaited so that its hook runs before the ones below.
  await app.register(fastifyHelmet);
  // Answers carry personal data (feeds, checks, tasks, even masked public lists): no cache keeps a copy.
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.header('Cache-Control', 'no-store');
    done();
  });
  // Before routing, for Swagger's routes (the server's own) and for paths no route serves alike.
  const check = managementCheck(edge.management);
  if (check) {
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = decodedPath(request.url);
      if (!isManagementPath(path)) return;
      const refusal = check(path, request.headers.authorization);
      if (!refusal) return;
      filter!.send(refusal, reply);
      return reply;
    });
  }
  // Before routing, as on Express: a body that is not UTF-8 JSON is refused unread.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal = unsupportedMediaType(request.headers);
    if (!refusal) return;
    filter!.send(refusal, reply);
    return reply;
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPES, jsonBody(edge));
  // Only a body without content reaches this (the hook above refuses the rest): there is nothing to read.
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  serveProblemTypes(app, filter);
  app.useGlobalFilters(filter);
  return app;
}

/**
 * body-parser, given the raw request: its errors (413 over the limit, 400 unparseable, 415 a
 * charset) reach the filter as on Express. A JSON syntax error is passed on as a plain error
 * with the same fields, since Nest would otherwise turn a SyntaxError into a bare 400.
 */
function jsonBody(edge: HttpEdge): FastifyContentTypeParser {
  const parsers = new Map<number, ReturnType<typeof json>>();
  const parserFor = (limit: number) => parsers.get(limit) ?? parsers.set(limit, json({ type: (request) => JSON_TYPES.includes(requestMediaType(request.headers as { 'content-type'?: string })?.essence ?? ''), limit })).get(limit)!;
  return (request: FastifyRequest, _payload, done) => {
    const raw = request.raw as typeof request.raw & { body?: unknown };
    // body-parser only reads the request; the response is for its `verify` option, unused here.
    const mediaType = requestMediaType(request.headers)?.essence;
    parserFor(bodyLimitFor(pathOf(request.url), edge.bodyLimits, mediaType))(raw, undefined as unknown as ServerResponse, (error?: unknown) => {
      if (error) done(error instanceof SyntaxError ? Object.assign(new Error(error.message), error) : (error as Error), undefined);
      else done(null, raw.body);
    });
  };
}

/** The path as the router matches it (find-my-way decodes percent-encodings), so an encoded /metrics is still checked. */
function decodedPath(url: string): string {
  const path = pathOf(url);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
