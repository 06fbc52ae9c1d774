// Background jobs: a charge the provider failed at upload is retried by a job without any redelivery —
// on PostgreSQL (pg-boss) by exactly one of two replicas, and taken over from a replica that died holding
// it; on PGlite by the in-process runner behind the same interface.

import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsSchemaOf } from '../../../cloud/jobs/open-job-queue.ts';
import { type Cloud, createCloud } from '../../../cloud/server.ts';
import { waitFor } from '../../support/services.ts';
import {
  asShopper,
  BACKENDS,
  newSchemaName,
  newShopper,
  type Outage,
  outageProvider,
  providerCharges,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

/** Every replica's provider fails while `outage.down`: one processor outage seen by all of them. */
const outage: Outage = { down: false };

/** Short enough for a test: expired after 2 s, looked for every second, retried after 1 s. */
const FAST_JOBS = {
  retryDelaySeconds: 1,
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
};
const CART = [{ sku: 'SKU-0001', quantity: 2 }];

async function statusOf(cloud: Cloud, visitId: string): Promise<string | undefined> {
  const rows = await cloud.db.query<{ status: string }>('SELECT status FROM receipts WHERE visit_id = $1', [
    visitId,
  ]);
  return rows[0]?.status;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.unavailable)(`background jobs on ${backend.name}`, () => {
    let test: TestCloud;
    /** PostgreSQL only: a second replica on the same schema. */
    let replica: Cloud | undefined;
    let schema: string | undefined;
    beforeAll(async () => {
      schema = backend.databaseUrl === undefined ? undefined : newSchemaName();
      const paymentProvider = outageProvider(outage);
      test = await startTestCloud(backend, {
        ...(schema === undefined ? {} : { postgresSchema: schema }),
        paymentProvider,
        jobs: FAST_JOBS,
      });
      if (backend.databaseUrl !== undefined && schema !== undefined) {
        replica = await createCloud({
          databaseUrl: backend.databaseUrl,
          postgresSchema: schema,
          stores: [{ config: test.sampleStore, credential: test.credentials[SAMPLE_STORE_ID] as string }],
          paymentProvider,
          jobs: FAST_JOBS,
        });
      }
    }, 60_000);
    afterAll(async () => {
      outage.down = false;
      await replica?.stop();
      await test?.stop();
    });

    it('charges a receipt the provider failed at upload, by a job, once', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      outage.down = true;
      const during = await uploadVisit(test, visit);
      expect(during.statusCode).toBe(503);
      expect(await statusOf(test.cloud, visit.visitId)).toBe('pending_payment');
      outage.down = false;
      // No redelivery: the charge-retry job (sent with a 5 s delay) charges it.
      await waitFor(
        'the job to charge the receipt',
        async () => ((await statusOf(test.cloud, visit.visitId)) === 'paid' ? true : undefined),
        20_000,
        200,
      );
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
      const receipts = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts')).json<{
        receipts: { status: string }[];
      }>();
      expect(receipts.receipts.map((r) => r.status)).toEqual(['paid']);
    }, 30_000);

    // pg-boss runs on PostgreSQL only (PGlite has one connection): defined there, not skipped elsewhere
    if (backend.databaseUrl !== undefined)
      it('takes over a charge-retry job from a replica that died holding it', async () => {
        if (backend.databaseUrl === undefined || schema === undefined) return;
        const shopper = await newShopper(test.cloud, 'tok_visa');
        const visit = visitOf(shopper.accountId, CART);
        outage.down = true;
        expect((await uploadVisit(test, visit)).statusCode).toBe(503);
        // A third replica fetches the job at once (before its start time) and dies without finishing it.
        const doomed = new PgBoss({ connectionString: backend.databaseUrl, schema: jobsSchemaOf(schema) });
        await doomed.start();
        const [held] = await doomed.fetch<{ visitId: string }>('charge-retry', { ignoreStartAfter: true });
        await doomed.stop({ graceful: false, close: true });
        expect(held?.data.visitId).toBe(visit.visitId);
        outage.down = false;
        await waitFor(
          'another replica to take the job over',
          async () => ((await statusOf(test.cloud, visit.visitId)) === 'paid' ? true : undefined),
          20_000,
          200,
        );
        expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
        // the receipt is paid inside the job's handler; pg-boss marks the job completed just after it returns
        const job = await waitFor(
          'the taken-over job to be marked completed',
          async () => {
            const [row] = await test.cloud.db.query<{ state: string; retry_count: number }>(
              `SELECT state, retry_count FROM ${jobsSchemaOf(schema)}.job WHERE id = $1`,
              [held?.id],
            );
            return row?.state === 'completed' ? row : undefined;
          },
          10_000,
          100,
        );
        expect(job).toEqual({ state: 'completed', retry_count: 1 });
      }, 30_000);
  });
}
