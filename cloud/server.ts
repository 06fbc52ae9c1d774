// Builds the cloud service: opens the database, migrates, seeds stores, staff and online shops, loads the
// entry-token key, and wires one fastify plugin per domain (accounts, receipts, disputes, orders, inventory,
// profile, privacy, the shopper app) plus docs, rate limits, health and metrics.
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { LoggerOptions } from 'pino';
import { Type } from 'typebox';
import { type Clock, systemClock } from '../shared/clock.ts';
import { installSecurityHeaders } from '../shared/security-headers.ts';
import type { TrustProxy } from '../shared/trust-proxy.ts';
import { accountsRoutes, authSessionsRoutes } from './accounts/accounts-routes.ts';
import {
  DEFAULT_ENTRY_TOKEN_REGISTRY_SETTINGS,
  EntryTokenRegistry,
  type EntryTokenRegistrySettings,
} from './accounts/entry-token-registry.ts';
import { EntryTokenSigner } from './accounts/entry-token-signer.ts';
import { entryTokensRoutes } from './accounts/entry-tokens-routes.ts';
import { paymentMethodsRoutes } from './accounts/payment-methods-routes.ts';
import { type StaffSetup, seedStaff } from './accounts/seed-staff.ts';
import { ShopperSessions } from './accounts/shopper-sessions.ts';
import { shopperAppRoutes } from './app/shopper-app-routes.ts';
import { collectionResolutionRoutes } from './billing/collection-resolution-routes.ts';
import { collectionsRoutes } from './billing/collections-routes.ts';
import {
  DEFAULT_PAYMENT_HOLD_SETTINGS,
  type PaymentHoldSettings,
  PaymentHolds,
} from './billing/payment-holds.ts';
import type { PaymentProvider } from './billing/payment-provider.ts';
import { SandboxPaymentProvider } from './billing/sandbox-payment-provider.ts';
import { CartHub } from './carts/cart-hub.ts';
import {
  cartFlagRoutes,
  cartFlagsEdgeRoutes,
  cartStreamRoutes,
  cartUpdatesRoutes,
} from './carts/cart-routes.ts';
import { LiveCarts } from './carts/live-carts.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open-database.ts';
import { DisputeRefunds } from './disputes/dispute-refunds.ts';
import { disputeReviewRoutes, disputesRoutes } from './disputes/disputes-routes.ts';
import { grantedDisputesRoutes } from './disputes/granted-disputes-routes.ts';
import { errorResponses, installErrorHandlers } from './http/api-error.ts';
import { CloudMetrics, metricsRoute } from './http/cloud-metrics.ts';
import { installOpenApi } from './http/openapi.ts';
import { installRateLimits, type RateLimitSettings } from './http/rate-limits.ts';
import { installTextGuard } from './http/text-guard.ts';
import {
  laneStockRoutes,
  shopStockRoutes,
  storeProductsRoutes,
  storesRoutes,
} from './inventory/inventory-routes.ts';
import { Reservations } from './inventory/reservations.ts';
import { reservationsRoutes } from './inventory/reservations-routes.ts';
import { registerBackgroundJobs } from './jobs/background-jobs.ts';
import { DEFAULT_JOB_QUEUE_SETTINGS, type JobQueue, type JobQueueSettings } from './jobs/job-queue.ts';
import { openJobQueue } from './jobs/open-job-queue.ts';
import { OnlineShopAuth, type OnlineShopSetup, seedOnlineShops } from './orders/online-shop-auth.ts';
import { OrderIngest } from './orders/order-ingest.ts';
import { shopRecommendationsRoutes, shopRoutes } from './orders/shop-routes.ts';
import { privacyRoutes } from './privacy/privacy-routes.ts';
import { behaviourAggregateRoutes } from './profile/behaviour-aggregate-routes.ts';
import { DEFAULT_POINTS_RULE, type PointsRule } from './profile/points-rule.ts';
import { consentRoutes, profileRoutes } from './profile/profile-routes.ts';
import { receiptsRoutes, visitsRoutes } from './receipts/receipts-routes.ts';
import { returnsRoutes } from './receipts/returns-routes.ts';
import { VisitIngest } from './receipts/visit-ingest.ts';
import { VisitReturns } from './receipts/visit-returns.ts';
import { PriceList } from './stores/price-list.ts';
import { type StoreSetup, seedStores } from './stores/seed-stores.ts';
import { StoreAuth } from './stores/store-auth.ts';
import {
  currentStoreConfigRoute,
  registerStoreConfigRoute,
  storeConfigVersionsRoute,
} from './stores/store-configs-routes.ts';

/** Disputes of less than this many cents are refunded at once: 10.00 in the store's currency. */
export const DEFAULT_AUTO_REFUND_BELOW_CENTS = 1000;

export interface CloudOptions {
  /** postgres://… → PostgreSQL; undefined → PGlite in memory; 'pglite:<dir>' → PGlite persisted in <dir>. */
  databaseUrl?: string;
  stores: StoreSetup[];
  /** Staff logins (role staff): review disputes. */
  staff?: StaffSetup[];
  /** Online shops allowed to record orders and read stock and recommendations. */
  onlineShops?: OnlineShopSetup[];
  /** Default: 1 point per whole currency unit, online and in store. */
  pointsRule?: PointsRule;
  /** Default DEFAULT_AUTO_REFUND_BELOW_CENTS. */
  autoRefundBelowCents?: number;
  /** Default: the limits in http/rate-limits.ts at scale 1. */
  rateLimit?: RateLimitSettings;
  /** Default: no logging (tests). */
  logger?: boolean | LoggerOptions;
  /** PostgreSQL only: keep every table in this schema (created if missing), for isolated test runs. */
  postgresSchema?: string;
  /** PostgreSQL only: pooled connections, for transactions (default 8; single statements share 8 pipelined ones). */
  postgresPoolSize?: number;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the sandbox provider, whose ledger lives in the same database. */
  paymentProvider?: (db: Database, clock: Clock) => PaymentProvider;
  /** Also export Node process metrics on /metrics (default false). */
  processMetrics?: boolean;
  /** Default 'require': see VisitIngestDeps.visitsWithoutEntryToken (production refuses 'allow-missing'). */
  visitsWithoutEntryToken?: 'require' | 'allow-missing';
  /**
   * Proxies whose X-Forwarded-For is believed (fastify's trustProxy; TRUST_PROXY for `npm run cloud`): the
   * per-address rate limits then count the real client. Default false: the socket's address.
   */
  trustProxy?: TrustProxy;
  /** Default DEFAULT_ENTRY_TOKEN_REGISTRY_SETTINGS (tokens kept 14 days). */
  entryTokenRegistry?: EntryTokenRegistrySettings;
  /**
   * Background jobs (charge retries, refunds to finish, reservation expiry, retention): pg-boss on
   * PostgreSQL, an in-process runner on PGlite. Default DEFAULT_JOB_QUEUE_SETTINGS.
   */
  jobs?: Partial<JobQueueSettings>;
  /**
   * Entry holds: the amount held when a store's config names no `entryHoldCents`, how long an unused hold
   * lives, and the failed captures before staff collection. Default DEFAULT_PAYMENT_HOLD_SETTINGS, with
   * collection after the upload, the charge-retry job's first run and its retries.
   */
  paymentHolds?: Partial<PaymentHoldSettings>;
}

export interface Cloud {
  app: FastifyInstance;
  /** The cloud's database, for operations tooling and tests. */
  db: Database;
  /** Its background jobs (started with the cloud). */
  jobs: JobQueue;
  /** Listens (port 0: any free port) and returns the base URL, e.g. http://127.0.0.1:54321. */
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function createCloud(options: CloudOptions): Promise<Cloud> {
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(options.databaseUrl, options.postgresSchema, options.postgresPoolSize);
  try {
    await migrate(db);
    await seedStores(db, options.stores, clock);
    await seedStaff(db, options.staff ?? [], clock);
    await seedOnlineShops(db, options.onlineShops ?? []);
    const signer = await EntryTokenSigner.loadOrCreate(db, clock);
    let log: FastifyBaseLogger | undefined;
    const jobs = openJobQueue(db, options, { ...DEFAULT_JOB_QUEUE_SETTINGS, ...options.jobs }, (err) =>
      log?.error({ err }, 'background job failed; it is retried'),
    );
    const app = await buildApp(db, clock, signer, jobs, options);
    log = app.log.child({ component: 'jobs' });
    await jobs.start().catch(async (err: unknown) => {
      await app.close();
      throw err;
    });
    let stopped = false;
    return {
      app,
      db,
      jobs,
      async start(port = 0, host = '127.0.0.1') {
        return app.listen({ port, host });
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        await jobs.stop();
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
  jobs: JobQueue,
  options: CloudOptions,
): Promise<FastifyInstance> {
  const app = newFastify(options);
  installErrorHandlers(app);
  installSecurityHeaders(app);
  installTextGuard(app);
  await installOpenApi(app);
  await installRateLimits(app, db, options.rateLimit);
  const services = createServices(db, clock, jobs, options, app.log);
  await registerDomainRoutes(app, db, signer, services);
  await registerBackgroundJobs(jobs, { db, log: app.log.child({ component: 'jobs' }), ...services });
  healthRoute(app, db);
  await app.ready();
  return app;
}

function newFastify(options: CloudOptions) {
  const serverOptions: FastifyServerOptions = {
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
  };
  return Fastify(serverOptions)
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
}

type CloudApp = ReturnType<typeof newFastify>;

/** The domain services the routes share, built once per app. */
function createServices(
  db: Database,
  clock: Clock,
  jobs: JobQueue,
  options: CloudOptions,
  appLog: FastifyBaseLogger,
) {
  const provider = (options.paymentProvider ?? ((d, c) => new SandboxPaymentProvider(d, c)))(db, clock);
  const pointsRule = options.pointsRule ?? DEFAULT_POINTS_RULE;
  const metrics = new CloudMetrics({ processMetrics: options.processMetrics ?? false });
  const sessions = new ShopperSessions(db, clock);
  const priceList = new PriceList(db);
  const storeAuth = new StoreAuth(db);
  const shopAuth = new OnlineShopAuth(db);
  const log = appLog.child({ component: 'visit-ingest' });
  const retryLimit = options.jobs?.retryLimit ?? DEFAULT_JOB_QUEUE_SETTINGS.retryLimit;
  const holds = new PaymentHolds({
    db,
    provider,
    clock,
    log: appLog.child({ component: 'payment-holds' }),
    settings: {
      ...DEFAULT_PAYMENT_HOLD_SETTINGS,
      collectionAfterAttempts: retryLimit + 2,
      ...options.paymentHolds,
    },
  });
  const entryTokens = new EntryTokenRegistry(
    db,
    clock,
    options.entryTokenRegistry ?? DEFAULT_ENTRY_TOKEN_REGISTRY_SETTINGS,
  );
  const ingest = new VisitIngest({
    db,
    provider,
    metrics,
    clock,
    log,
    priceList,
    pointsRule,
    entryTokens,
    visitsWithoutEntryToken: options.visitsWithoutEntryToken ?? 'require',
    jobs,
    holds,
  });
  const disputes = new DisputeRefunds({
    db,
    provider,
    clock,
    pointsRule,
    autoRefundBelowCents: options.autoRefundBelowCents ?? DEFAULT_AUTO_REFUND_BELOW_CENTS,
    jobs,
  });
  const returns = new VisitReturns({ db, provider, clock, pointsRule, metrics });
  const cartHub = new CartHub();
  const liveCarts = new LiveCarts(db, clock, cartHub, metrics.registry);
  return {
    clock,
    cartHub,
    liveCarts,
    provider,
    pointsRule,
    metrics,
    sessions,
    priceList,
    storeAuth,
    shopAuth,
    entryTokens,
    ingest,
    disputes,
    returns,
    holds,
  };
}

/** One plugin per resource, in the order their routes appear in the OpenAPI document. */
async function registerDomainRoutes(
  app: CloudApp,
  db: Database,
  signer: EntryTokenSigner,
  services: ReturnType<typeof createServices>,
): Promise<void> {
  const { clock, provider, pointsRule, metrics, sessions, priceList, storeAuth, shopAuth, entryTokens } =
    services;
  const { ingest, disputes, returns, liveCarts, cartHub, holds } = services;
  await app.register(accountsRoutes, { db, clock, sessions });
  await app.register(authSessionsRoutes, { db, clock, sessions });
  await app.register(paymentMethodsRoutes, { db, clock, sessions, provider });
  await app.register(entryTokensRoutes, { db, sessions, signer, registry: entryTokens, holds });
  await app.register(visitsRoutes, { db, sessions, storeAuth, ingest, liveCarts });
  await app.register(returnsRoutes, { storeAuth, returns });
  const carts = { sessions, storeAuth, liveCarts, hub: cartHub };
  await app.register(cartUpdatesRoutes, carts);
  await app.register(cartFlagsEdgeRoutes, carts);
  await app.register(cartStreamRoutes, carts);
  await app.register(cartFlagRoutes, carts);
  await app.register(receiptsRoutes, { db, sessions, storeAuth, ingest });
  await app.register(disputesRoutes, { db, sessions, disputes });
  await app.register(disputeReviewRoutes, { db, sessions, disputes });
  await app.register(grantedDisputesRoutes, { db, storeAuth });
  await app.register(collectionsRoutes, { db, sessions });
  await app.register(collectionResolutionRoutes, { db, sessions, clock });
  const inventory = { db, clock, sessions, storeAuth, shopAuth, priceList };
  await app.register(laneStockRoutes, inventory);
  await app.register(storesRoutes, inventory);
  await app.register(storeProductsRoutes, inventory);
  await app.register(shopStockRoutes, inventory);
  await app.register(reservationsRoutes, { sessions, reservations: new Reservations(db, clock) });
  const shop = { db, shopAuth, orders: new OrderIngest(db, priceList, pointsRule, clock) };
  await app.register(shopRoutes, shop);
  await app.register(shopRecommendationsRoutes, shop);
  await app.register(profileRoutes, { db, sessions });
  await app.register(consentRoutes, { db, sessions });
  await app.register(behaviourAggregateRoutes, { db, sessions, now: () => clock.now() });
  await app.register(privacyRoutes, { db, sessions, clock });
  const storeConfigs = { db, sessions, storeAuth, now: () => clock.now() };
  await app.register(registerStoreConfigRoute, storeConfigs);
  await app.register(currentStoreConfigRoute, storeConfigs);
  await app.register(storeConfigVersionsRoute, storeConfigs);
  await app.register(shopperAppRoutes);
  await app.register(metricsRoute, { metrics });
}

/** Healthy means able to serve: the database answers. */
function healthRoute(app: CloudApp, db: Database): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(503) },
      },
    },
    async (_request, reply) => {
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
}
