import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LoupeError, type ErrorCode, type FieldIssue } from '@loupe/shared';
import { RetryLaterError } from '../../errors/retry-later';

/** Fastify and plugin error codes that have a precise Loupe equivalent. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_REQUEST',
};

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

/**
 * A failed request schema (zod, through fastify-type-provider-zod) as field issues named from
 * the request part: `params.id`, `body.quality`. An unknown key is reported at the key itself
 * (`body.x`), one field per key, not at the object that holds it.
 */
function validationFields(error: FastifyError): FieldIssue[] {
  const part = error.validationContext;
  return (error.validation ?? []).flatMap((v) => {
    const at = [part, ...v.instancePath.split('/').filter(Boolean)];
    const { keys } = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && keys?.length)
      return keys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }));
    return [{ path: at.join('.'), message: v.message ?? 'invalid' }];
  });
}

/** Any thrown thing as a LoupeError: the one error shape every endpoint answers with. */
export function toLoupeError(error: unknown): LoupeError {
  if (error instanceof LoupeError) return error;
  const e = error as FastifyError;
  if (e.validation) {
    const fields = validationFields(e);
    const message = `Invalid request: ${fields.map((f) => `${f.path} (${f.message})`).join('; ')}`;
    return new LoupeError('INVALID_REQUEST', message, fields);
  }
  const code =
    (e.code && FASTIFY_CODES[e.code]) ??
    (e.statusCode && e.statusCode < 500 ? BY_STATUS[e.statusCode] : undefined);
  if (code) return new LoupeError(code, e.message);
  return new LoupeError('INTERNAL', 'Internal error');
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const loupe = toLoupeError(error);
      if (loupe.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
      else request.log.info({ code: loupe.code, message: loupe.message }, 'request refused');
      if (error instanceof RetryLaterError)
        reply.header('retry-after', String(error.retryAfterSeconds));
      if (loupe.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer');
      return reply.status(loupe.status).type('application/json').send(loupe.toBody(request.id));
    });
  },
  { name: 'errors' },
);
