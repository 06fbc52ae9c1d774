// npm run reconcile [-- --json] [--void-leftover]: checks against DATABASE_URL (or an embedded database)
// that charges − refunds equal receipts − granted disputes per currency and per receipt, that the ledger
// matches the payment provider's, and that no entry hold is left open after its visit's receipt or its
// expiry; prints a table (or one JSON object) and exits non-zero on any mismatch. --void-leftover first
// voids the leftover holds through the (sandbox) provider, as the hold-release job would. Also lists what is
// owed, collected by other means and written off in staff collection.
import { pino } from 'pino';
import { DEFAULT_PAYMENT_HOLD_SETTINGS, PaymentHolds } from '../cloud/billing/payment-holds.ts';
import { type Reconciliation, reconcile } from '../cloud/billing/reconciliation.ts';
import { SandboxPaymentProvider } from '../cloud/billing/sandbox-payment-provider.ts';
import type { Database } from '../cloud/db/database.ts';
import { migrate } from '../cloud/db/migrate.ts';
import { openDatabase } from '../cloud/db/open-database.ts';
import { systemClock } from '../shared/clock.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run reconcile -- [--json] [--void-leftover]
  checks the ledger of DATABASE_URL (or an embedded database) against receipts, disputes and the payment
  provider, and that no entry hold is left open; exits 1 on any mismatch
  --void-leftover  first void the leftover holds through the (sandbox) provider, as the hold-release job would
  --json           one JSON object instead of the table`;

const cli = commandLine({
  command: 'reconcile',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    'void-leftover': { type: 'boolean', default: false },
  },
});

const money = (cents: number) => (cents / 100).toFixed(2).padStart(14);
/** Leftover holds voided per run at most; run again for more. */
const VOID_LEFTOVER_LIMIT = 10_000;

/** Voids the leftover holds: answers how many were voided and how many the provider still failed. */
async function voidLeftover(db: Database): Promise<{ voided: number; failed: number }> {
  const [sandbox] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('provider_authorisations') IS NOT NULL AS present",
  );
  if (sandbox?.present !== true) {
    throw new Error(
      '--void-leftover needs the sandbox provider in this database (a live provider: use its console)',
    );
  }
  const holds = new PaymentHolds({
    db,
    provider: new SandboxPaymentProvider(db, systemClock),
    clock: systemClock,
    log: pino({ level: 'warn' }),
    settings: DEFAULT_PAYMENT_HOLD_SETTINGS,
  });
  return holds.releaseDue(VOID_LEFTOVER_LIMIT);
}

function printTable(result: Reconciliation, where: string, voided?: { voided: number; failed: number }) {
  console.log(`reconciliation of ${where}\n`);
  console.log(
    `${'currency'.padEnd(8)} ${'charges'.padStart(14)} ${'refunds'.padStart(14)} ${'receipts'.padStart(14)} ${'disputes'.padStart(14)} ${'difference'.padStart(14)}`,
  );
  for (const c of result.currencies) {
    console.log(
      `${c.currency.padEnd(8)} ${money(c.chargesCents)} ${money(c.refundsCents)} ${money(c.receiptsCents)} ${money(c.disputesGrantedCents)} ${money(c.differenceCents)}`,
    );
  }
  if (result.currencies.length === 0) console.log('(no money moved yet)');
  if (result.provider !== undefined) {
    console.log(
      `\npayment provider: captured ${money(result.provider.chargesCents).trim()}, refunded ${money(result.provider.refundsCents).trim()} — ${result.provider.matches ? 'matches the ledger' : 'DOES NOT match the ledger'}`,
    );
  }
  for (const m of result.receiptMismatches) {
    console.log(
      `receipt ${m.receiptId}: total ${m.totalCents}, charged ${m.chargedCents}, refunded ${m.refundedCents}, disputes granted ${m.grantedCents}`,
    );
  }
  const { holds } = result;
  if (voided !== undefined)
    console.log(`\nleftover holds voided: ${voided.voided}, still failing: ${voided.failed}`);
  console.log(
    `\n${'holds'.padEnd(8)} ${'open'.padStart(14)} ${'held'.padStart(14)} ${'overdue'.padStart(14)} ${'collection'.padStart(14)}`,
  );
  console.log(
    `${''.padEnd(8)} ${String(holds.open).padStart(14)} ${money(holds.openCents)} ${String(holds.overdue).padStart(14)} ${String(holds.inCollection).padStart(14)}`,
  );
  if (holds.provider !== undefined) {
    console.log(
      `provider holds open: ${holds.provider.openAuthorisations} — ${holds.provider.matches ? 'matches ours' : 'DOES NOT match ours'}`,
    );
  }
  for (const h of holds.overdueHolds) {
    console.log(
      `hold ${h.holdId}: ${h.reason}, ${h.amountCents} ${h.currency}, failed voids ${h.voidFailures}${h.lastError === null ? '' : ` (${h.lastError})`}`,
    );
  }
  console.log(
    `\n${'collections'.padEnd(12)} ${'owed'.padStart(14)} ${'collected'.padStart(14)} ${'written off'.padStart(14)}`,
  );
  for (const c of result.collections.currencies)
    console.log(
      `${c.currency.padEnd(12)} ${`${c.open} / ${money(c.openCents).trim()}`.padStart(14)} ${`${c.collected} / ${money(c.collectedCents).trim()}`.padStart(14)} ${`${c.writtenOff} / ${money(c.writtenOffCents).trim()}`.padStart(14)}`,
    );
  for (const id of result.collections.mismatches)
    console.log(`receipt ${id}: its status and its collection resolution disagree`);
  console.log(
    `\n${result.ok ? 'OK: charges − refunds = receipts − disputes granted; no hold left open; every resolved collection recorded' : 'MISMATCH'}`,
  );
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const db = await openDatabase(url === '' ? undefined : url);
  try {
    if (db.kind === 'pglite') {
      // An embedded database starts empty: migrate so its (empty) ledger can be read.
      await migrate(db);
    } else {
      // An operations check never changes the schema of the database it checks.
      const [tables] = await db.query<{ present: boolean }>(
        "SELECT to_regclass('payment_holds') IS NOT NULL AS present",
      );
      if (tables?.present !== true) {
        console.error(
          'DATABASE_URL has no payment_holds table: run the cloud (which migrates) against it first.',
        );
        process.exitCode = 2;
        return;
      }
    }
    const voided = cli.values['void-leftover'] ? await voidLeftover(db) : undefined;
    const result = await reconcile(db);
    if (cli.values.json) {
      console.log(JSON.stringify(voided === undefined ? result : { ...result, voidedLeftover: voided }));
    } else {
      printTable(result, url === undefined || url === '' ? 'the embedded database' : 'DATABASE_URL', voided);
    }
    if (!result.ok) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

await main();
