// Security headers on every answer of both services (the cloud's shopper app and API, the edge's floor view):
// a Content-Security-Policy that lets the pages load only their own scripts, styles, images (plus the QR
// code's data: URL) and WebSocket, and no page be framed (clickjacking); no MIME sniffing; no referrer.
import type { FastifyInstance } from 'fastify';

/** The pages are plain ES modules and CSS from their own origin: nothing inline, nothing third-party. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI (/docs) brings its own inline bootstrap: framing is still refused, the rest is its own. */
const DOCS_CSP = "frame-ancestors 'none'";

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    const docs = request.url === '/docs' || request.url.startsWith('/docs/');
    reply.header('content-security-policy', docs ? DOCS_CSP : PAGE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
  });
}
