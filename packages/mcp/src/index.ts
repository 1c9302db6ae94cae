// The public surface of @loupe/mcp.
export { createLoupeMcpServer, type LoupeMcpOptions } from './server';
export { runStdio, type StdioOptions } from './stdio';
export { parseAllowList } from './url-allow';
export { ImageSourceSchema, type ImageSource } from './image-source';
export { RESULT_URI_TEMPLATE, resultUri } from './results';
