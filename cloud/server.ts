// Builds the cloud service: opens the database, migrates, seeds stores and catalogs, loads the entry-token
// key, and wires one fastify plugin per domain (accounts, receipts) plus docs, health and metrics.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LoggerOptions } from 'pino';
import { Type } from 'typebox';
import { type Clock, systemClock } from '../shared/clock.ts';
import { accountsRoutes } from './accounts/accounts-routes.ts';
import { EntryTokenSigner } from './accounts/entry-token-signer.ts';
import { entryTokensRoutes } from './accounts/entry-tokens-routes.ts';
import { paymentMethodsRoutes } from './accounts/payment-methods-routes.ts';
import { ShopperSessions } from './accounts/shopper-sessions.ts';
import type { PaymentProvider } from './billing/payment-provider.ts';
import { SandboxPaymentProvider } from './billing/sandbox-payment-provider.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open-database.ts';
import { errorResponses, installErrorHandlers } from './http/api-error.ts';
import { CloudMetrics, metricsRoute } from './http/cloud-metrics.ts';
import { receiptsRoutes } from './receipts/receipts-routes.ts';
import { VisitIngest } from './receipts/visit-ingest.ts';
import { type StoreSetup, seedStores } from './stores/seed-stores.ts';
import { StoreAuth } from './stores/store-auth.ts';

export interface CloudOptions {
  /** postgres://… → PostgreSQL; undefined → PGlite in memory; 'pglite:<dir>' → PGlite persisted in <dir>. */
  databaseUrl?: string;
  stores: StoreSetup[];
  /** Default: no logging (tests). */
  logger?: boolean | LoggerOptions;
  /** PostgreSQL only: keep every table in this schema (created if missing), for isolated test runs. */
  postgresSchema?: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the sandbox provider, whose ledger lives in the same database. */
  paymentProvider?: (db: Database, clock: Clock) => PaymentProvider;
  /** Also export Node process metrics on /metrics (default false). */
  processMetrics?: boolean;
}

export interface Cloud {
  app: FastifyInstance;
  /** The cloud's database, for operations tooling and tests. */
  db: Database;
  /** Listens (port 0: any free port) and returns the base URL, e.g. http://127.0.0.1:54321. */
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function createCloud(options: CloudOptions): Promise<Cloud> {
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(options.databaseUrl, options.postgresSchema);
  try {
    await migrate(db);
    await seedStores(db, options.stores, clock);
    const signer = await EntryTokenSigner.loadOrCreate(db, clock);
    const app = await buildApp(db, clock, signer, options);
    let stopped = false;
    return {
      app,
      db,
      async start(port = 0, host = '127.0.0.1') {
        return app.listen({ port, host });
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

async function buildApp(
  db: Database,
  clock: Clock,
  signer: EntryTokenSigner,
  options: CloudOptions,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandlers(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Walkout cloud',
        version: '1',
        description: 'Accounts, entry tokens, visits and receipts',
      },
      components: {
        securitySchemes: {
          shopperSession: {
            type: 'http',
            scheme: 'bearer',
            description: 'Token from POST /v1/auth/sessions',
          },
          storeCredential: { type: 'http', scheme: 'bearer', description: "The store edge's credential" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const provider = (options.paymentProvider ?? ((d, c) => new SandboxPaymentProvider(d, c)))(db, clock);
  const metrics = new CloudMetrics({ processMetrics: options.processMetrics ?? false });
  const sessions = new ShopperSessions(db, clock);
  const ingest = new VisitIngest(db, provider, metrics, clock, app.log.child({ component: 'visit-ingest' }));

  await app.register(accountsRoutes, { db, clock, sessions });
  await app.register(paymentMethodsRoutes, { db, clock, sessions, provider });
  await app.register(entryTokensRoutes, { db, sessions, signer });
  await app.register(receiptsRoutes, { db, sessions, storeAuth: new StoreAuth(db), ingest });
  await app.register(metricsRoute, { metrics });
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(503) },
      },
    },
    async (_request, reply) => {
      // Healthy means able to serve: the database answers.
      const answered = await db.query('SELECT 1').then(
        () => true,
        () => false,
      );
      if (answered) return { status: 'ok' as const };
      return reply
        .status(503)
        .send({ error: 'database_unavailable', message: 'The database does not answer.' });
    },
  );
  await app.ready();
  return app;
}
