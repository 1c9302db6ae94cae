import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers. COOP same-origin + COEP require-corp make the page cross-origin isolated,
 * which threaded WASM (SharedArrayBuffer) in the web app needs; the CSP allows WASM compilation
 * and blob: workers, and inline styles/scripts only for Swagger UI (served with its own CSP hashes).
 * The web app's service worker (/sw.js) and its install manifest are same-origin: worker-src and
 * manifest-src name 'self' outright rather than leaning on default-src.
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: { policy: 'require-corp' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          workerSrc: ["'self'", 'blob:'],
          manifestSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'", 'data:', 'blob:'],
          // Loupe is often reached over plain http on a LAN address: do not rewrite subresources to https.
          upgradeInsecureRequests: null,
        },
      },
      enableCSPNonces: false,
    });
  },
  { name: 'helmet' },
);
