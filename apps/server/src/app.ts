import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import { LoupeError } from '@loupe/shared';
import type { Config } from './config';
import cors from './plugins/external/cors';
import helmet from './plugins/external/helmet';
import multipart from './plugins/external/multipart';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import { useZodSchemas } from './schema';
import auth from './plugins/app/auth';
import configPlugin from './plugins/app/config';
import diffusionModels from './plugins/app/diffusion-models';
import errors from './plugins/app/errors';
import jsonBody from './plugins/app/json-body';
import inference, { type InferenceOptions } from './plugins/app/inference';
import manifest from './plugins/app/manifest';
import metrics from './plugins/app/metrics';
import diffusionFiles from './routes/api/diffusion-files';
import edit from './routes/api/edit';
import gpu from './routes/api/gpu';
import jobs from './routes/api/jobs';
import limits from './routes/api/limits';
import models from './routes/api/models';
import ops from './routes/api/ops';
import generate from './routes/generate';
import mcp from './routes/mcp';
import sdapi from './routes/sdapi';
import health from './routes/health';
import staticFiles from './routes/static';

export interface BuildOptions extends InferenceOptions {
  config: Config;
  logger?: FastifyServerOptions['logger'];
}

/**
 * The whole server as a Fastify instance, in layers: external plugins (security, parsing,
 * docs), then Loupe's own (config, errors, auth, metrics, models, inference), then routes.
 * Tests build it with their own config and drive it with inject() or real HTTP.
 */
export async function buildApp({
  config,
  logger,
  workerEnv,
}: BuildOptions): Promise<FastifyInstance> {
  const requestTimeoutMs = config.LOUPE_REQUEST_TIMEOUT_S * 1000;
  const app = Fastify({
    logger: logger ?? { level: config.LOUPE_LOG_LEVEL },
    // Node checks these timeouts only every connectionsCheckingInterval (30 s by default) and
    // caps headers at 60 s unless told at creation: set all three on the server it creates, so
    // a 4 s limit is 4 s (to within a second), for the headers and for the whole body.
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(250, Math.min(1000, requestTimeoutMs / 4)),
    },
    requestTimeout: requestTimeoutMs,
    // Socket inactivity: a synchronous /api/edit sends nothing until its job ends, so allow a whole job.
    connectionTimeout: (config.LOUPE_REQUEST_TIMEOUT_S + config.LOUPE_JOB_TIMEOUT_S) * 1000,
    keepAliveTimeout: 10_000,
    // A drain keeps serving probes, results and events itself (see the inference plugin);
    // Fastify's own 503 would answer every route, in its own shape and without Retry-After.
    return503OnClosing: false,
    // The router's own refusals (a malformed %-escape, a path parameter over maxParamLength)
    // get the one error shape too.
    frameworkErrors: (error, request, reply) => {
      const loupe =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new LoupeError('INVALID_REQUEST', 'A path parameter is longer than 100 characters')
          : new LoupeError('INVALID_REQUEST', `The URL is malformed: ${error.message}`);
      // The reply is generic over every route's schema here; the body is the error shape.
      void (reply as FastifyReply)
        .status(loupe.status)
        .type('application/json')
        .send(loupe.toBody(request.id));
    },
    requestIdHeader: 'x-request-id',
    // Node answers a slow upload with a bare 408; keep the one JSON error shape instead.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code;
      const error =
        code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new LoupeError(
              'REQUEST_TIMEOUT',
              `The request did not arrive within ${config.LOUPE_REQUEST_TIMEOUT_S} s`,
            )
          : new LoupeError('INVALID_REQUEST', 'Malformed HTTP request');
      const body = JSON.stringify(error.toBody());
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${error.status} ${error.code}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      }
    },
  });

  // Route schemas are zod objects (see schema.ts): set before any route is registered.
  useZodSchemas(app);
  await app.register(configPlugin, { config });
  await app.register(errors);
  // First after config: its onRoute hook must see every route, the plugins' own ones included.
  await app.register(auth);
  await app.register(jsonBody);
  await app.register(helmet);
  await app.register(cors);
  await app.register(multipart);
  await app.register(rateLimit);
  await app.register(swagger);

  await app.register(metrics);
  await app.register(manifest);
  await app.register(diffusionModels);
  await app.register(inference, { ...(workerEnv ? { workerEnv } : {}) });

  await app.register(health);
  await app.register(ops);
  await app.register(limits);
  await app.register(models);
  await app.register(diffusionFiles);
  await app.register(edit);
  await app.register(jobs);
  await app.register(gpu);
  await app.register(generate);
  await app.register(sdapi);
  await app.register(mcp);
  await app.register(staticFiles);
  return app;
}
