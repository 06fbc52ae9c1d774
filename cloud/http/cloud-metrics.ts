// The cloud's Prometheus metrics (walkout_cloud_*), on a registry per cloud instance so several clouds in
// one process (tests) never collide, served as text at GET /metrics.
import type { FastifyPluginAsync } from 'fastify';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export class CloudMetrics {
  readonly registry = new Registry();
  readonly visitsIngested = new Counter({
    name: 'walkout_cloud_visits_ingested_total',
    help: 'Visits stored for the first time, each with one receipt',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });
  readonly duplicateDeliveries = new Counter({
    name: 'walkout_cloud_visit_duplicate_deliveries_total',
    help: 'Visit uploads that repeated an already stored visit (answered with its receipt)',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });
  readonly visitsWithoutEntryToken = new Counter({
    name: 'walkout_cloud_visits_without_entry_token_total',
    help: 'Visit uploads naming no entry token, billed because visitsWithoutEntryToken is allow-missing',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });
  readonly charges = new Counter({
    name: 'walkout_cloud_charges_total',
    help: 'Receipts settled by charging, by outcome (succeeded, declined, no_payment_method)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly returnRefunds = new Counter({
    name: 'walkout_cloud_return_refunds_total',
    help: 'Returns after the receipt (#13) refunded through the provider, once each (a repeat delivery is not counted)',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });
  readonly returnRefundedCents = new Counter({
    name: 'walkout_cloud_return_refunded_cents_total',
    help: 'Money given back for returns after the receipt, in minor units of the receipt currency',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics === true)
      collectDefaultMetrics({ register: this.registry, prefix: 'walkout_cloud_' });
  }
}

export const metricsRoute: FastifyPluginAsync<{ metrics: CloudMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
