// Starts a real cloud for a suite on PGlite (in memory) or PostgreSQL (a fresh schema t_<random>, dropped at
// the end), with the sample store and a second store, plus small clients for shoppers and store edges.
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import pg from 'pg';
import type {
  AuthoriseRequest,
  AuthoriseResult,
  CaptureRequest,
  CaptureResult,
  ChargeRequest,
  ChargeResult,
  PaymentProvider,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from '../../../cloud/billing/payment-provider.ts';
import { SandboxPaymentProvider } from '../../../cloud/billing/sandbox-payment-provider.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { jobsSchemaOf } from '../../../cloud/jobs/open-job-queue.ts';
import { type Cloud, type CloudOptions, createCloud } from '../../../cloud/server.ts';
import type { Clock } from '../../../shared/clock.ts';
import type { VisitLine, VisitUpload } from '../../../shared/schemas/visit.ts';
import { loadStoreConfig, type StoreConfig } from '../../../shared/store-config.ts';
import { realPostgres } from '../../support/services.ts';

export interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  databaseUrl: string | undefined;
  /** True when the backend is not available here (PostgreSQL without WALKOUT_TEST_DATABASE_URL). */
  unavailable: boolean;
}

const postgres = realPostgres();

const PGLITE: Backend = { name: 'PGlite', databaseUrl: undefined, unavailable: false };
const POSTGRES: Backend = {
  name: 'PostgreSQL',
  databaseUrl: postgres.url,
  unavailable: postgres.url === undefined,
};

/** Suites about the database itself (visit ingest and billing, jobs, the sandbox provider) run on both. */
export const BACKENDS: Backend[] = [PGLITE, POSTGRES];

/**
 * The one backend of a suite about what the cloud does rather than about its database: PostgreSQL, the
 * production path, where the tests have one (CI), else PGlite, so a laptop still runs the suite. PGlite keeps
 * its coverage in the BACKENDS suites and wherever the cloud is started by the store stack (e2e, browser,
 * evaluations), which runs it on PGlite as the demo does. One backend per suite halves the suite's time.
 */
export const PRIMARY_BACKEND: Backend = POSTGRES.unavailable ? PGLITE : POSTGRES;

export const SAMPLE_STORE_ID = 'store-001';
export const OTHER_STORE_ID = 'store-002';

export const STAFF_LOGIN = {
  email: 'staff@walkout.test',
  password: 'staff-password-1234',
  name: 'Sam Staff',
};
export const ONLINE_SHOP_ID = 'webshop';

/**
 * Jobs that give up on a failing capture fast: the charge-retry job retries once, 1 s after its first run, so
 * a receipt goes to staff collection after 3 failed attempts (upload, job, retry).
 */
export const FAST_COLLECTION_JOBS = {
  retryLimit: 1,
  retryDelaySeconds: 1,
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
};

/** A staff session (STAFF_LOGIN) on this cloud. */
export async function signInStaff(cloud: Cloud): Promise<{ token: string; accountId: string }> {
  const response = await cloud.app.inject({
    method: 'POST',
    url: '/v1/auth/sessions',
    payload: { email: STAFF_LOGIN.email, password: STAFF_LOGIN.password },
  });
  return response.json<{ token: string; accountId: string }>();
}

export interface TestCloud {
  cloud: Cloud;
  sampleStore: StoreConfig;
  /** Credentials by store id. */
  credentials: Record<string, string>;
  /** The online shop's credential (shop ONLINE_SHOP_ID). */
  shopCredential: string;
  stop(): Promise<void>;
}

export function newSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${jobsSchemaOf(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function startTestCloud(
  backend: Backend,
  extra: Partial<CloudOptions> = {},
): Promise<TestCloud> {
  const sampleStore = loadStoreConfig('stores/sample-store.json');
  const otherStore: StoreConfig = { ...sampleStore, storeId: OTHER_STORE_ID, name: 'Second Store' };
  const credentials = {
    [SAMPLE_STORE_ID]: `cred-${randomBytes(16).toString('hex')}`,
    [OTHER_STORE_ID]: `cred-${randomBytes(16).toString('hex')}`,
  };
  const shopCredential = `shop-${randomBytes(16).toString('hex')}`;
  const schema = backend.databaseUrl === undefined ? undefined : (extra.postgresSchema ?? newSchemaName());
  const cloud = await createCloud({
    databaseUrl: backend.databaseUrl,
    ...(schema === undefined ? {} : { postgresSchema: schema }),
    stores: [
      { config: sampleStore, credential: credentials[SAMPLE_STORE_ID] as string },
      { config: otherStore, credential: credentials[OTHER_STORE_ID] as string },
    ],
    staff: [STAFF_LOGIN],
    onlineShops: [{ shopId: ONLINE_SHOP_ID, credential: shopCredential }],
    // Suites sign many shoppers up from one address; the limits themselves are tested in rate-limits.test.ts.
    rateLimit: { scale: 100 },
    ...extra,
  });
  return {
    cloud,
    sampleStore,
    credentials,
    shopCredential,
    async stop() {
      await cloud.stop();
      if (backend.databaseUrl !== undefined && schema !== undefined)
        await dropSchema(backend.databaseUrl, schema);
    },
  };
}

export interface Shopper {
  accountId: string;
  token: string;
  email: string;
}

function json<T>(response: LightMyRequestResponse, status: number): T {
  if (response.statusCode !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.statusCode}: ${response.body}`);
  }
  return response.json<T>();
}

/** Signs up and signs in a new shopper; with `cardToken`, also adds that card. */
export async function newShopper(cloud: Cloud, cardToken?: string): Promise<Shopper> {
  const email = `shopper-${randomUUID()}@example.com`;
  const password = 'correct horse battery';
  json(
    await cloud.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email, password, name: 'Ada' },
    }),
    201,
  );
  const session = json<{ token: string; accountId: string }>(
    await cloud.app.inject({ method: 'POST', url: '/v1/auth/sessions', payload: { email, password } }),
    200,
  );
  const shopper = { accountId: session.accountId, token: session.token, email };
  if (cardToken !== undefined) json(await addCard(cloud, shopper, cardToken), 201);
  return shopper;
}

export function addCard(cloud: Cloud, shopper: Shopper, cardToken: string): Promise<LightMyRequestResponse> {
  return cloud.app.inject({
    method: 'POST',
    url: '/v1/me/payment-methods',
    headers: { authorization: `Bearer ${shopper.token}` },
    payload: { cardToken },
  });
}

export function asShopper(
  cloud: Cloud,
  shopper: Pick<Shopper, 'token'>,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
) {
  return cloud.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${shopper.token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

/** A visit of `accountId` buying `lines`, admitted on a fresh entry token id (recorded by uploadVisit/admit). */
export function visitOf(
  accountId: string,
  lines: VisitLine[],
  visitId = `visit-${randomUUID()}`,
): VisitUpload {
  return {
    visitId,
    accountId,
    entryTokenIds: [`jti-${randomUUID()}`],
    enteredAt: 1_700_000_000_000,
    exitedAt: 1_700_000_420_000,
    party: 1,
    lines,
    events: lines.map((line, i) => ({
      eventId: `e-${i}`,
      kind: 'pick' as const,
      sku: line.sku,
      count: line.quantity,
      lane: `lane-${i}`,
      ts: 1_700_000_100_000 + i,
    })),
  };
}

/** Asks the cloud for an entry token for `storeId` as the app does (201 expected); returns its jti. */
export async function entryTokenId(
  test: TestCloud,
  shopper: Shopper,
  storeId: string,
  party = 1,
): Promise<string> {
  const response = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', { storeId, party });
  if (response.statusCode !== 201) {
    throw new Error(`expected an entry token (201), got ${response.statusCode}: ${response.body}`);
  }
  const jti = decodeJwt(response.json<{ token: string }>().token).jti;
  if (jti === undefined) throw new Error('entry token without jti');
  return jti;
}

/** A visit of `shopper` buying `lines` on the entry tokens `jtis` (undefined: naming none). */
export function visitOn(
  shopper: Pick<Shopper, 'accountId'>,
  jtis: string[] | undefined,
  lines: VisitLine[] = [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0007', quantity: 1 },
  ],
): VisitUpload {
  const { entryTokenIds: _unused, ...visit } = visitOf(shopper.accountId, lines);
  return jtis === undefined ? visit : { ...visit, entryTokenIds: jtis };
}

/**
 * Records the visit's entry tokens as issued to its account for `storeId`, as POST /v1/me/entry-tokens does
 * before the gate (already recorded tokens and accounts that do not exist are left alone). Suites about
 * billing use this; test/integration/cloud/entry-token-billing.test.ts goes through the real endpoint.
 */
export async function admit(cloud: Cloud, visit: VisitUpload, storeId = SAMPLE_STORE_ID): Promise<void> {
  for (const jti of visit.entryTokenIds ?? []) {
    await cloud.db.query(
      `INSERT INTO entry_tokens (jti, account_id, store_id, party, issued_at, expires_at)
       SELECT $1, a.account_id, $3, $4, $5::bigint, $5::bigint + 60000 FROM accounts a WHERE a.account_id = $2
       ON CONFLICT (jti) DO NOTHING`,
      // Issued now (the fixtures' visits are dated 2023, long past the registry's retention).
      [jti, visit.accountId, storeId, visit.party, Date.now()],
    );
  }
}

/**
 * Uploads as the store's edge would: its credential and the Idempotency-Key visit:<visitId>. The visit's
 * entry tokens are first recorded as issued at the store uploaded to, unless `admitted: false`.
 */
export async function uploadVisit(
  test: TestCloud,
  visit: VisitUpload,
  options: {
    storeId?: string;
    credential?: string | null;
    idempotencyKey?: string | null;
    admitted?: boolean;
  } = {},
) {
  const storeId = options.storeId ?? SAMPLE_STORE_ID;
  if (options.admitted !== false) await admit(test.cloud, visit, storeId);
  const credential = options.credential === undefined ? test.credentials[storeId] : options.credential;
  const key = options.idempotencyKey === undefined ? `visit:${visit.visitId}` : options.idempotencyKey;
  const headers: Record<string, string> = {};
  if (credential !== null && credential !== undefined) headers.authorization = `Bearer ${credential}`;
  if (key !== null) headers['idempotency-key'] = key;
  return test.cloud.app.inject({
    method: 'POST',
    url: `/v1/stores/${storeId}/visits`,
    headers,
    payload: visit,
  });
}

/** Charges the sandbox provider recorded for a visit. */
export async function providerCharges(cloud: Cloud, visitId: string) {
  return cloud.db.query<{ charge_id: string; amount_cents: unknown; currency: string; status: string }>(
    'SELECT charge_id, amount_cents, currency, status FROM provider_charges WHERE idempotency_key = $1',
    [`charge:visit:${visitId}`],
  );
}

/** A payment processor outage a suite switches on and off; every provider made by `outageProvider` sees it. */
export interface Outage {
  down: boolean;
}

/** The real sandbox provider, whose charges, holds, captures and voids fail (unreachable) while the outage is on. */
class OutageSwitchedProvider implements PaymentProvider {
  constructor(
    private readonly sandbox: SandboxPaymentProvider,
    private readonly outage: Outage,
  ) {}
  private reachable<T>(step: () => Promise<T>): Promise<T> {
    if (this.outage.down) return Promise.reject(new Error('connect ECONNREFUSED payment provider'));
    return step();
  }
  attachCard(cardToken: string) {
    return this.sandbox.attachCard(cardToken);
  }
  charge(request: ChargeRequest): Promise<ChargeResult> {
    return this.reachable(() => this.sandbox.charge(request));
  }
  refund(request: RefundRequest): Promise<RefundResult> {
    return this.sandbox.refund(request);
  }
  authorise(request: AuthoriseRequest): Promise<AuthoriseResult> {
    return this.reachable(() => this.sandbox.authorise(request));
  }
  capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.reachable(() => this.sandbox.capture(request));
  }
  void(request: VoidRequest): Promise<VoidResult> {
    return this.reachable(() => this.sandbox.void(request));
  }
}

/** CloudOptions.paymentProvider for a cloud (or replicas) whose sandbox provider is down while `outage.down`. */
export function outageProvider(outage: Outage): (db: Database, clock: Clock) => PaymentProvider {
  return (db, clock) => new OutageSwitchedProvider(new SandboxPaymentProvider(db, clock), outage);
}
