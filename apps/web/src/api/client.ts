import { createLoupeClient } from '@loupe/client';

/**
 * The Loupe server's API as the web app reaches it: same-origin paths, since `pnpm start` serves
 * app and API on one port and Vite proxies them in dev. Answers are validated by @loupe/client.
 */
export const api = createLoupeClient();
