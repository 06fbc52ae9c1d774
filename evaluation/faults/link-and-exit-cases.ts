// The fault cases of the store's uplink and of a lost exit scan: the cloud unreachable for an hour (its clock
// and the edge's stepped, not waited for), the cloud refusing the edge's credential after a rotation, and a
// shopper whose exit scan never reached the edge. Each checks from outside what an operator would see (the
// outbox, the floor's alerts, the edge's log) on the way, and its receipts against the ground truth after.
import { spawn } from 'node:child_process';
import type { CaseContext, FaultCase } from './fault-case.ts';
import { newStoreCredential } from './store-processes.ts';

const HOUR_MS = 3_600_000;
const LINE_TIMEOUT_MS = 90_000;
/** The demo floor staff the fault harness's edge runs with (FLOOR_STAFF unset: edge-config.ts). */
const DEMO_SUPERVISOR = { user: 'manager', password: 'walkout-demo' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm run outbox -- list --json` on the edge's database, as an operator would run it beside the edge. */
async function outboxCounts(dbPath: string): Promise<Record<string, number>> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/outbox.ts', 'list', '--state', 'all', '--db', dbPath, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`npm run outbox -- list exited ${code}: ${err}`)),
    );
  });
  const last = output.trim().split('\n').at(-1) ?? '{}';
  const parsed = JSON.parse(last) as { counts?: Record<string, number> };
  return parsed.counts ?? {};
}

/** The floor's active alerts, read as staff would (sign in, then the floor state). */
async function floorAlerts(edgeUrl: string): Promise<{ alertId: string; kind: string; message: string }[]> {
  const login = await fetch(`${edgeUrl}/floor/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_SUPERVISOR),
  });
  if (!login.ok) throw new Error(`floor sign-in refused: ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const state = await fetch(`${edgeUrl}/floor/api/state`, { headers: { authorization: `Bearer ${token}` } });
  if (!state.ok) throw new Error(`floor state refused: ${state.status}`);
  const { alerts } = (await state.json()) as { alerts: { alertId: string; kind: string; message: string }[] };
  return alerts;
}

async function untilAlert(edgeUrl: string, kind: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alert = (await floorAlerts(edgeUrl)).find((a) => a.kind === kind);
    if (alert !== undefined) return alert;
    if (Date.now() > deadline) throw new Error(`no ${kind} alert on the floor within ${timeoutMs} ms`);
    await sleep(250);
  }
}

function uplinkOf(ctx: CaseContext) {
  const uplink = ctx.processes.uplink;
  if (uplink === undefined) throw new Error('this case needs setup.cloudLink');
  return uplink;
}

export const LINK_AND_EXIT_CASES: readonly FaultCase[] = [
  {
    name: 'cloud-unreachable-1h',
    fault:
      'store uplink cut for an hour (clocks stepped): shoppers admitted and billed offline, backlog drains',
    timeline: 'one-after-another',
    needs: [],
    // after the link is back the edge tries within its longest backoff (60 s), then sends one visit at a time
    setup: { cloudLink: true, clockStep: true, receiptsTimeoutMs: 150_000 },
    inject: async (ctx) => {
      const uplink = uplinkOf(ctx);
      uplink.set('refused');
      ctx.say('store uplink cut: the edge cannot reach the cloud (phones still can)');
      const code = await ctx.simulator.whenExited();
      if (code !== 0) return; // the run reports the simulator's failure
      // the last visit's receipt is settled a few seconds after its exit
      let counts = await outboxCounts(ctx.processes.edgeDbPath);
      for (let i = 0; i < 40 && (counts.pending ?? 0) < 3; i++) {
        await sleep(500);
        counts = await outboxCounts(ctx.processes.edgeDbPath);
      }
      const made = ctx.db.kind === 'postgres' ? await ctx.db.receiptCount() : 0;
      ctx.say(
        `3 visits played offline: outbox pending ${counts.pending ?? 0}, delivered ${counts.delivered ?? 0}; ` +
          `receipts in the cloud ${made}; ${uplink.attempts.refused} refused attempt(s)`,
      );
      if ((counts.pending ?? 0) !== 3 || made !== 0)
        throw new Error(`expected 3 visits pending on the edge and none in the cloud while cut`);
      await ctx.stepClocks(HOUR_MS);
      ctx.say('an hour passes (the cloud and the edge step their clocks by 1 h); uplink still cut');
      await sleep(5000);
      uplink.set('up');
      ctx.say(`uplink back after the hour (${uplink.attempts.refused} refused attempt(s) in all)`);
    },
  },
  {
    name: 'cloud-credential-rotated',
    fault: "401: the store's credential rotated in the cloud; visit held, alert raised; edge fixed, it goes",
    timeline: 'five-picks',
    needs: [],
    setup: { receiptsTimeoutMs: 90_000 },
    inject: async (ctx) => {
      const { processes } = ctx;
      await ctx.simulator.waitForLine(
        (line) => line.includes(' picks ') && line.includes('from S04-L08:'),
        LINE_TIMEOUT_MS,
        'the first pick',
      );
      const rotated = newStoreCredential();
      await processes.cloud.stop();
      processes.cloud.setEnv({ STORE_CREDENTIAL: rotated });
      await processes.startCloud();
      ctx.say('cloud restarted with a rotated store credential; the edge still sends the old one');
      await processes.edge.waitForLine(
        (line) => line.includes('— held: fix the store credential'),
        LINE_TIMEOUT_MS,
        'the visit held on a 401',
      );
      const alert = await untilAlert(processes.edgeUrl, 'cloud-link', 10_000);
      const counts = await outboxCounts(processes.edgeDbPath);
      ctx.say(
        `visit held (npm run outbox -- list: held ${counts.held ?? 0}, dead ${counts.dead ?? 0}); ` +
          `floor alert ${alert.alertId}`,
      );
      if ((counts.held ?? 0) !== 1 || (counts.dead ?? 0) !== 0)
        throw new Error('expected the visit held (not dead) after the 401');
      // the operator sets the edge's STORE_CREDENTIAL to the current one and restarts it: held visits go
      await processes.edge.stop();
      processes.edge.setEnv({ STORE_CREDENTIAL: rotated });
      await processes.startEdge();
      ctx.say('edge restarted with the current credential: held visits released at start');
    },
  },
  {
    name: 'lost-exit-scan',
    fault: 'exit scan lost: visit closed by the maximum visit time (1 min here), the shopper enters again',
    timeline: 'lost-exit-scan',
    needs: [],
    setup: { edgeEnv: { MAX_VISIT_MINUTES: '1' } },
    inject: async (ctx) => {
      const { processes } = ctx;
      await ctx.simulator.waitForLine(
        (line) => line.includes('the exit scan is lost'),
        LINE_TIMEOUT_MS,
        'the walk-out without a scan',
      );
      ctx.say('alice walked out; her exit scan never reached the edge');
      await processes.edge.waitForLine(
        (line) => line.includes('no exit scan within the maximum visit time'),
        LINE_TIMEOUT_MS,
        'the visit closed without an exit scan',
      );
      ctx.say('the edge closed her visit at the maximum visit time and billed it');
      const back = await ctx.simulator.waitForLine(
        (line) => / alice scans at \S+ to enter: /.test(line),
        LINE_TIMEOUT_MS,
        'her second entry',
      );
      ctx.say(`she comes back: ${back.trim()}`);
    },
  },
];
