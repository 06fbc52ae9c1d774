import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../../../edge/floor/alert-book.ts';
import { UnresolvedExitAlerts } from '../../../../edge/floor/unresolved-exit-alerts.ts';
import type { StaffException } from '../../../../edge/fusion/exception-queue.ts';
import type { Alert } from '../../../../shared/schemas/alert.ts';

const open = new Map<string, StaffException[]>();
const x = (id: string, candidates: string[]) =>
  ({
    exceptionId: id,
    reason: 'unattributed',
    candidateSessions: candidates,
    event: { kind: 'pick', lanes: ['S01-L05'] },
  }) as unknown as StaffException;

function setup() {
  open.clear();
  const published: Alert[] = [];
  const alerts = new AlertBook();
  const watch = new UnresolvedExitAlerts({
    alerts,
    openFor: (id) => open.get(id) ?? [],
    publish: (a) => published.push(a),
    now: () => 1000,
    holdMs: 120_000,
  });
  return { published, alerts, watch };
}

describe('UnresolvedExitAlerts', () => {
  it('raises a critical alert naming the shopper and lines when they leave with one, cleared once decided', () => {
    const { published, alerts, watch } = setup();
    watch.exited({ sessionId: 'bob-session', accountId: 'acct-bob' });
    expect(published).toEqual([]);
    open.set('alice-session', [x('x-1', ['alice-session', 'bob-session'])]);
    watch.exited({ sessionId: 'alice-session', accountId: 'acct-alice' });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      alertId: 'unresolved-exit:alice-session',
      state: 'raised',
      severity: 'critical',
      lane: 'S01-L05',
    });
    expect(published[0]?.message).toContain('acct-alice');
    expect(published[0]?.message).toContain('pick on S01-L05 (unattributed)');
    watch.recheck();
    expect(published).toHaveLength(1);
    open.delete('alice-session');
    watch.recheck();
    expect(published[1]).toMatchObject({ alertId: 'unresolved-exit:alice-session', state: 'cleared' });
    expect(alerts.list()).toEqual([]);
  });

  it('raises for an exception that opens after the exit scan, and clears when the hold ran out', () => {
    const { published, watch } = setup();
    watch.exited({ sessionId: 's1', accountId: 'a1' });
    const late = x('x-2', ['s1']);
    open.set('s1', [late]);
    watch.exceptionOpened(late);
    expect(published.map((a) => a.state)).toEqual(['raised']);
    watch.checkedOut('s1');
    expect(published[1]?.state).toBe('cleared');
    expect(published[1]?.message).toContain('hold ran out');
    watch.exceptionOpened(late);
    expect(published).toHaveLength(2);
  });
});
