// The OpenAPI document (served at /docs): API description and the four kinds of caller authentication.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const bearer = (description: string) => ({ type: 'http' as const, scheme: 'bearer', description });

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Walkout cloud',
        version: '1',
        description:
          'Accounts, entry tokens, visits, receipts and disputes, online orders, stock, profiles and privacy. ' +
          'Every route is rate-limited per caller (429 rate_limited with Retry-After).',
      },
      components: {
        securitySchemes: {
          shopperSession: bearer('Token from POST /v1/auth/sessions'),
          staffSession: bearer('Token from POST /v1/auth/sessions for a staff account'),
          storeCredential: bearer("The store edge's credential"),
          onlineShopCredential: bearer("The online shop's credential"),
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
