// The faults, each its own case: when it strikes (a line of the simulator's, or a cloud write held at an
// exact step of the ingest by a table lock) and what is done to which process. Restarts come ~2 s later, as
// a supervisor (systemd, a container runtime) would restart a crashed service.
import type { CaseContext, FaultCase } from './fault-case.ts';
import type { HeldTable } from './fault-database.ts';
import { LINK_AND_EXIT_CASES } from './link-and-exit-cases.ts';

/** A supervisor restarts a crashed service after about this long. */
export const RESTART_AFTER_MS = 2000;
/** The pick the kills are timed against: the third, a 1,007 g pack of spaghetti. */
const FAULT_LANE = 'S03-L08';
const LINE_TIMEOUT_MS = 90_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pickOn = (lane: string) => (line: string) => line.includes(' picks ') && line.includes(`from ${lane}:`);
const exitOpens = (line: string) => / to exit: gate opens/.test(line);

async function restart(ctx: CaseContext, part: 'edge' | 'cloud'): Promise<void> {
  await sleep(RESTART_AFTER_MS);
  const started = Date.now();
  if (part === 'edge') await ctx.processes.startEdge();
  else await ctx.processes.startCloud();
  ctx.say(`${part} restarted, healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function killEdge(ctx: CaseContext, when: string): Promise<void> {
  await ctx.processes.edge.kill();
  ctx.say(`SIGKILL edge ${when}`);
  await restart(ctx, 'edge');
}

const NOTHING_HELD: HeldTable = {
  waitForWriter: async () => {},
  terminateWriters: async () => 0,
  release: async () => {},
};

/** Holds the cloud's writes of `table`, waits for the ingest to reach it, then does `fault`; releases. */
async function atIngestStep(
  ctx: CaseContext,
  table: 'provider_charges' | 'visits',
  fault: (held: HeldTable) => Promise<void>,
): Promise<void> {
  if (ctx.db.kind !== 'postgres') {
    // PGlite cannot be locked from outside: strike as the cloud logs the upload arriving (less exact)
    const arrived = ctx.processes.cloud.waitForLine(
      (line) => line.includes('incoming request') && line.includes('/visits'),
      LINE_TIMEOUT_MS,
      'the visit upload',
    );
    await arrived;
    await fault(NOTHING_HELD);
    return;
  }
  const held = await ctx.db.holdWrites(table);
  try {
    await ctx.simulator.waitForLine(exitOpens, LINE_TIMEOUT_MS, 'the exit scan');
    await held.waitForWriter(60_000);
    await fault(held);
  } finally {
    await held.release();
  }
}

const KILL_AND_BROKER_CASES: readonly FaultCase[] = [
  {
    name: 'edge-kill-during-pick',
    fault: 'SIGKILL edge while a hand is in the lane (weight change in progress)',
    timeline: 'five-picks',
    needs: [],
    inject: async (ctx) => {
      await ctx.simulator.waitForLine(pickOn(FAULT_LANE), LINE_TIMEOUT_MS, `the pick on ${FAULT_LANE}`);
      // the hand is in the lane for 0.6–1.2 s; 300 ms in, the edge has seen the change begin
      await sleep(300);
      await killEdge(ctx, `during the pick on ${FAULT_LANE}`);
    },
  },
  {
    name: 'edge-kill-after-pick',
    fault: 'SIGKILL edge between a pick and the exit',
    timeline: 'five-picks',
    needs: [],
    inject: async (ctx) => {
      await ctx.simulator.waitForLine(pickOn(FAULT_LANE), LINE_TIMEOUT_MS, `the pick on ${FAULT_LANE}`);
      // the hand is out and the change confirmed and billed well within 2.5 s
      await sleep(2500);
      await killEdge(ctx, `after the pick on ${FAULT_LANE}, before the exit`);
    },
  },
  {
    name: 'edge-kill-after-exit-scan',
    fault: 'SIGKILL edge between the exit scan and the receipt',
    timeline: 'five-picks',
    needs: [],
    inject: async (ctx) => {
      await ctx.simulator.waitForLine(exitOpens, LINE_TIMEOUT_MS, 'the exit scan');
      await ctx.processes.edge.kill();
      if (ctx.db.kind === 'postgres') {
        // the visit's receipt must not exist yet, or the kill came after the window it is meant to hit
        const made = await ctx.db.receiptCount();
        ctx.say(`SIGKILL edge as the exit gate opened (receipts already made: ${made})`);
      } else ctx.say('SIGKILL edge as the exit gate opened');
      await restart(ctx, 'edge');
    },
  },
  {
    name: 'edge-kill-while-sending',
    fault: 'SIGKILL edge while the outbox is sending the visit',
    timeline: 'five-picks',
    needs: [],
    inject: (ctx) =>
      atIngestStep(ctx, 'visits', async () => {
        await ctx.processes.edge.kill();
        ctx.say('SIGKILL edge while its visit upload was inside the cloud (answer never read)');
        // the cloud finishes that upload: the restarted edge delivers it again
        await restart(ctx, 'edge');
      }),
  },
  {
    name: 'cloud-kill-during-ingest',
    fault: 'SIGKILL cloud during ingest (token claimed, nothing charged)',
    timeline: 'five-picks',
    needs: [],
    inject: (ctx) =>
      atIngestStep(ctx, 'provider_charges', async (held) => {
        await ctx.processes.cloud.kill();
        const ended = await held.terminateWriters();
        ctx.say(`SIGKILL cloud during ingest, before the charge (${ended} connection(s) ended)`);
        await restart(ctx, 'cloud');
      }),
  },
  {
    name: 'cloud-kill-during-charge',
    fault: 'SIGKILL cloud during the charge (charged, receipt not stored)',
    timeline: 'five-picks',
    needs: [],
    inject: (ctx) =>
      atIngestStep(ctx, 'visits', async (held) => {
        await ctx.processes.cloud.kill();
        const ended = await held.terminateWriters();
        ctx.say(`SIGKILL cloud after the provider charged, before the receipt was stored (${ended} ended)`);
        await restart(ctx, 'cloud');
      }),
  },
  {
    name: 'broker-outage-30s',
    fault: 'broker stopped 30 s with picks inside the outage, then restarted',
    timeline: 'through-an-outage',
    needs: ['restartable-broker'],
    inject: async (ctx) => {
      await ctx.simulator.waitForLine(pickOn('S04-L08'), LINE_TIMEOUT_MS, 'the first pick');
      await sleep(500);
      await ctx.broker.halt();
      ctx.say(`${ctx.broker.kind} stopped; 4 picks happen while it is down`);
      await sleep(30_000);
      await ctx.broker.resume();
      ctx.say(`${ctx.broker.kind} restarted after 30 s`);
    },
  },
];

export const FAULT_CASES: readonly FaultCase[] = [...KILL_AND_BROKER_CASES, ...LINK_AND_EXIT_CASES];
