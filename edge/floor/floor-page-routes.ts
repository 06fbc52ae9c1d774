// The floor view page (edge/floor/public: plain HTML, CSS and scripts, no build step) at /floor/; / redirects
// there. Files are read on each request, so an edited or added page file shows on reload.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../http/error-mapper.ts';
import { BinarySchema } from '../http/openapi.ts';

const PUBLIC = new URL('./public/', import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A page file's bytes, or undefined when there is no such file (the name has no directory part). */
async function readPageFile(name: string): Promise<Buffer | undefined> {
  try {
    return await readFile(new URL(name, PUBLIC));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw err;
  }
}

/** A file answer in OpenAPI: its media types, each a string body. */
const fileResponse = (description: string, types: readonly string[]) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type.split(';')[0], { schema: BinarySchema }])),
});

export const floorPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const serve = async (name: string, reply: FastifyReply) => {
    const type = CONTENT_TYPES[extname(name)];
    const body = type === undefined ? undefined : await readPageFile(name);
    if (type === undefined || body === undefined) return reply.callNotFound();
    return reply.type(type).send(body);
  };
  const config = { role: 'public' as const };

  app.get(
    '/',
    {
      config,
      schema: {
        tags: ['page'],
        summary: 'Redirects to the floor view',
        response: { 302: Type.Null({ description: 'To /floor/' }) },
      },
    },
    async (_request, reply) => reply.redirect('/floor/'),
  );

  app.get(
    '/floor/',
    {
      config,
      schema: {
        tags: ['page'],
        summary: 'The floor view (staff sign in on the page)',
        response: { 200: fileResponse('The page', ['text/html']) },
      },
    },
    async (_request, reply) => serve('index.html', reply),
  );

  app.get(
    '/floor/:asset',
    {
      config,
      schema: {
        tags: ['page'],
        summary: "A file of the floor view's page (script, style sheet, image)",
        params: Type.Object({
          asset: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
        }),
        response: {
          200: fileResponse('The file', [...new Set(Object.values(CONTENT_TYPES))]),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => serve(request.params.asset, reply),
  );
};
