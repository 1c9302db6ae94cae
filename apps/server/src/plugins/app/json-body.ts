import fp from 'fastify-plugin';
import { LoupeError, forbiddenKeyIssues } from '@loupe/shared';

/**
 * JSON bodies parsed once, here, for every route: malformed JSON and prototype keys are 400s
 * that say what and where. Fastify's own parser refuses `__proto__` too, but without naming
 * the field, and in its own error shape.
 */
export default fp(
  async (app) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') return done(null, undefined);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        return done(
          new LoupeError('INVALID_REQUEST', `The body is not valid JSON: ${(e as Error).message}`),
          undefined,
        );
      }
      const forbidden = forbiddenKeyIssues(value);
      if (forbidden.length)
        return done(
          new LoupeError('INVALID_PARAMS', 'The body contains forbidden keys', forbidden),
          undefined,
        );
      done(null, value);
    });
  },
  { name: 'json-body' },
);
