import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createLoupeClient, type LoupeClient } from '@loupe/client';
import { createLoupeMcpServer, parseAllowList } from '@loupe/mcp';
import { LoupeError } from '@loupe/shared';
import { uploadBodyLimit } from './api/edit-request';

/** Sessions kept at once; past this the least recently used one is closed (its client re-initialises). */
const MAX_SESSIONS = 64;

interface Session {
  transport: StreamableHTTPServerTransport;
  close(): Promise<void>;
}

/**
 * `/mcp`: the MCP server of `@loupe/mcp` over streamable HTTP, one session per client. Its tools
 * call this server's own API on the loopback address through `@loupe/client`, so they run the
 * same jobs, limits and queue as every other route. The bearer token is the API's (the auth
 * plugin protects `/mcp` by its pattern); Host headers are checked against this server's own
 * address, localhost and LOUPE_MCP_ALLOWED_HOSTS (DNS-rebinding protection). Over HTTP the
 * caller is not on this machine, so image `{path}` inputs are refused.
 */
const mcp: FastifyPluginAsync = async (app) => {
  const allowUrls = parseAllowList(app.config.LOUPE_MCP_URL_ALLOW);
  const sessions = new Map<string, Session>();
  let loopback: { client: LoupeClient; allowedHosts: string[] } | undefined;
  // The port is known once the server listens (0 in tests), so both are made on first use.
  const local = () => (loopback ??= ownAddress(app));

  async function open(request: FastifyRequest): Promise<Session> {
    const { client, allowedHosts } = local();
    const server = createLoupeMcpServer({
      client,
      serverUrl: `${request.protocol}://${request.host}`,
      allowUrls,
      allowFiles: false,
      maxImageBytes: app.config.LOUPE_MAX_UPLOAD_BYTES,
    });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableDnsRebindingProtection: true,
      allowedHosts,
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        if (sessions.size > MAX_SESSIONS) void sessions.values().next().value?.close();
      },
    });
    const session: Session = { transport, close: () => server.close() };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = request.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (id !== undefined && !known)
      throw new LoupeError(
        'NOT_FOUND',
        'No such MCP session (it ended, or the server restarted): initialize a new one',
      );
    if (!known && !(request.method === 'POST' && isInitializeRequest(request.body)))
      throw new LoupeError(
        'INVALID_REQUEST',
        'Start an MCP session first: POST /mcp an initialize request without Mcp-Session-Id',
      );
    const session = known ?? (await open(request));
    if (known && typeof id === 'string') {
      // Most recently used last: the first entry is the one to close when there are too many.
      sessions.delete(id);
      sessions.set(id, known);
    }
    // The SDK writes the response itself (JSON or an SSE stream), from the body parsed here.
    reply.hijack();
    try {
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (e) {
      request.log.error({ err: e }, 'MCP request failed');
      // Once a stream has begun, ending it is all that is left to say.
      if (reply.raw.headersSent) reply.raw.end();
      else
        reply.raw
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify(new LoupeError('INTERNAL').toBody(request.id)));
    }
    // An initialize the transport refused (a Host not allowed, a bad Accept) opened no session.
    if (!known && !session.transport.sessionId) await session.close();
  }

  const options = { config: { rateLimit: {} }, bodyLimit: uploadBodyLimit(app.config) };
  app.post('/mcp', options, handle);
  app.get('/mcp', options, handle);
  app.delete('/mcp', options, handle);

  // Before the listener closes: open SSE streams would otherwise hold it open.
  app.addHook('preClose', async () => {
    await Promise.all([...sessions.values()].map((s) => s.close()));
  });
};

/**
 * The client of this server's own API, on the address it listens on (loopback for a wildcard
 * bind), and the Host values /mcp accepts: that address, localhost in its spellings, and
 * LOUPE_MCP_ALLOWED_HOSTS as given.
 */
function ownAddress(app: FastifyInstance): { client: LoupeClient; allowedHosts: string[] } {
  const { address, family, port } = app.server.address() as AddressInfo;
  const wildcard = address === '0.0.0.0' || address === '::';
  const ipv6 = family === 'IPv6';
  const host = wildcard ? (ipv6 ? '[::1]' : '127.0.0.1') : ipv6 ? `[${address}]` : address;
  const names = new Set([host, app.config.HOST, 'localhost', '127.0.0.1', '[::1]']);
  const allowedHosts = [...names].flatMap((name) =>
    port === 80 ? [name, `${name}:80`] : [`${name}:${port}`],
  );
  const token = app.config.LOUPE_API_TOKEN;
  return {
    client: createLoupeClient({ baseUrl: `http://${host}:${port}`, ...(token ? { token } : {}) }),
    allowedHosts: [...allowedHosts, ...app.config.LOUPE_MCP_ALLOWED_HOSTS],
  };
}

export default mcp;
