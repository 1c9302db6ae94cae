import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { LoupeClient } from '@loupe/client';
import type { ImageSourcePolicy } from './image-source';

/** What every tool works with: the one client of the Loupe server, and what it may read. */
export interface ToolContext {
  client: LoupeClient;
  images: ImageSourcePolicy;
  /** Where MCP clients reach the Loupe server, for result URLs; unknown: links carry only the resource URI. */
  serverUrl: string | undefined;
}

/** The SDK's per-request extra: abort signal, `_meta.progressToken`, notifications. */
export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
