// npm run reconcile: checks against DATABASE_URL (or an embedded database) that charges − refunds equal
// receipts − granted disputes per currency and per receipt, and that the ledger matches the payment
// provider's; prints a table and exits non-zero on any mismatch.
import { reconcile } from '../cloud/billing/reconciliation.ts';
import { migrate } from '../cloud/db/migrate.ts';
import { openDatabase } from '../cloud/db/open-database.ts';

const money = (cents: number) => (cents / 100).toFixed(2).padStart(14);

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
        "SELECT to_regclass('ledger_entries') IS NOT NULL AS present",
      );
      if (tables?.present !== true) {
        console.error(
          'DATABASE_URL has no ledger_entries table: run the cloud (which migrates) against it first.',
        );
        process.exitCode = 2;
        return;
      }
    }
    const result = await reconcile(db);
    console.log(
      `reconciliation of ${url === undefined || url === '' ? 'the embedded database' : 'DATABASE_URL'}\n`,
    );
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
    console.log(`\n${result.ok ? 'OK: charges − refunds = receipts − disputes granted' : 'MISMATCH'}`);
    if (!result.ok) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

await main();
