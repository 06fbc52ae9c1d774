// Staff sign-in and role checks: refusals are domain errors with a code and the reason, never HTTP statuses.
import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  parseStaffList,
  RoleForbiddenError,
  SignInRequiredError,
  StaffAuth,
} from '../../../../edge/floor/staff-auth.ts';
import { ManualClock } from '../../../../shared/clock.ts';

const staff = parseStaffList('manager:supervisor:walkout-demo,staff:viewer:walkout-view');

describe('StaffAuth', () => {
  it('signs in with the right password only, without telling which part was wrong', async () => {
    const auth = new StaffAuth(staff, new ManualClock(0));
    expect((await auth.signIn('staff', 'walkout-view')).user).toEqual({ name: 'staff', role: 'viewer' });
    for (const [user, password] of [
      ['staff', 'walkout-demo'],
      ['nobody', 'walkout-view'],
    ] as const) {
      await expect(auth.signIn(user, password)).rejects.toThrow(InvalidCredentialsError);
      await expect(auth.signIn(user, password)).rejects.toThrow(
        expect.objectContaining({ code: 'invalid_credentials', message: 'Wrong user name or password.' }),
      );
    }
  });

  it('lets a role do what it and the roles below it may, and says why it refuses', async () => {
    const clock = new ManualClock(0);
    const auth = new StaffAuth(staff, clock);
    const viewer = (await auth.signIn('staff', 'walkout-view')).token;
    const supervisor = (await auth.signIn('manager', 'walkout-demo')).token;
    expect(auth.authorize(supervisor, 'viewer')).toEqual({ name: 'manager', role: 'supervisor' });
    expect(auth.authorize(viewer, 'viewer')).toEqual({ name: 'staff', role: 'viewer' });
    expect(() => auth.authorize(viewer, 'supervisor')).toThrow(RoleForbiddenError);
    expect(() => auth.authorize(viewer, 'supervisor')).toThrow(
      expect.objectContaining({ code: 'forbidden', needed: 'supervisor' }),
    );
    expect(() => auth.authorize(undefined, 'viewer')).toThrow(
      expect.objectContaining({ code: 'unauthorized', reason: 'no-token' }),
    );
    expect(() => auth.authorize('forged', 'viewer')).toThrow(
      expect.objectContaining({ reason: 'unknown-token' }),
    );
    clock.advance(12 * 3600_000 + 1);
    expect(() => auth.authorize(viewer, 'viewer')).toThrow(SignInRequiredError);
    expect(() => auth.authorize(supervisor, 'viewer')).toThrow(
      expect.objectContaining({ reason: 'expired' }),
    );
    // an expired token is forgotten: next time it is unknown
    expect(() => auth.authorize(supervisor, 'viewer')).toThrow(
      expect.objectContaining({ reason: 'unknown-token' }),
    );
  });

  it('forgets expired sign-ins nobody used again at the next sign-in, keeping the live ones', async () => {
    const clock = new ManualClock(0);
    const auth = new StaffAuth(staff, clock);
    await auth.signIn('staff', 'walkout-view');
    await auth.signIn('staff', 'walkout-view');
    // a shift's token lasts 12 h
    clock.set(6 * 3_600_000);
    const live = (await auth.signIn('manager', 'walkout-demo')).token;
    expect(auth.sessionCount).toBe(3);
    clock.set(13 * 3_600_000);
    await auth.signIn('staff', 'walkout-view');
    expect(auth.sessionCount).toBe(2);
    expect(auth.authorize(live, 'viewer')).toEqual({ name: 'manager', role: 'supervisor' });
  });
});
