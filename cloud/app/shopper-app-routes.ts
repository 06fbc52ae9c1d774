// Serves the shopper web app (cloud/app/static: plain HTML, CSS and ES modules, no build step) at /app/,
// read once at start, with a strict content security policy; / redirects there.
import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { rateLimitFor } from '../http/rate-limits.ts';

const STATIC_DIR = new URL('./static/', import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

// Everything comes from the cloud itself; QR codes arrive as SVG markup from the API.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

interface StaticFile {
  body: Buffer;
  type: string;
}

function loadFiles(): Map<string, StaticFile> {
  /** by file name */
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(STATIC_DIR)) {
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type !== undefined) files.set(name, { body: readFileSync(new URL(name, STATIC_DIR)), type });
  }
  return files;
}

export const shopperAppRoutes: FastifyPluginAsync = async (app) => {
  const files = loadFiles();
  const config = { rateLimit: rateLimitFor('public') };
  const serve = (name: string, reply: FastifyReply) => {
    const file = files.get(name);
    if (file === undefined) {
      return reply.status(404).send({ error: 'not_found', message: 'No such file in the shopper app.' });
    }
    return reply
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .type(file.type)
      .send(file.body);
  };
  const route = { config, schema: { hide: true } };
  app.get('/', route, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app', route, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app/', route, async (_request, reply) => serve('index.html', reply));
  app.get<{ Params: { file: string } }>('/app/:file', route, async (request, reply) =>
    serve(request.params.file, reply),
  );
};
