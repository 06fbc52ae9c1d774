// Staff sign-in for the floor view: named users with a role (viewer watches; supervisor also decides
// exceptions), passwords checked with scrypt, short-lived bearer tokens kept in memory.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';

export type StaffRole = 'viewer' | 'supervisor';

export interface StaffUser {
  name: string;
  role: StaffRole;
}

export class StaffConfigError extends Error {
  readonly code = 'INVALID_FLOOR_STAFF';
}

/** Session lifetime: one shift. */
const TOKEN_TTL_MS = 12 * 3600_000;

function hash(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32);
}

/** Parses `name:role:password,…` (the FLOOR_STAFF setting). */
export function parseStaffList(spec: string): { name: string; role: StaffRole; password: string }[] {
  return spec
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map((entry, i) => {
      const [name, role, ...rest] = entry.trim().split(':');
      const password = rest.join(':');
      if (!name || (role !== 'viewer' && role !== 'supervisor') || password.length < 8) {
        throw new StaffConfigError(
          `FLOOR_STAFF entry ${i + 1} must be name:viewer|supervisor:password (password ≥ 8 characters)`,
        );
      }
      return { name, role, password };
    });
}

export class StaffAuth {
  /** by user name */
  private readonly users = new Map<string, { role: StaffRole; salt: Buffer; hash: Buffer }>();
  /** by token */
  private readonly sessions = new Map<string, { user: StaffUser; expiresAt: number }>();

  constructor(
    staff: { name: string; role: StaffRole; password: string }[],
    private readonly clock: Clock,
  ) {
    for (const s of staff) {
      const salt = randomBytes(16);
      this.users.set(s.name, { role: s.role, salt, hash: hash(s.password, salt) });
    }
  }

  signIn(name: string, password: string): { token: string; user: StaffUser } | undefined {
    const user = this.users.get(name);
    const salt = user?.salt ?? randomBytes(16);
    const candidate = hash(password, salt);
    if (user === undefined || !timingSafeEqual(candidate, user.hash)) return undefined;
    const token = randomBytes(24).toString('base64url');
    const staff = { name, role: user.role };
    this.sessions.set(token, { user: staff, expiresAt: this.clock.now() + TOKEN_TTL_MS });
    return { token, user: staff };
  }

  /** The signed-in user for a token, or undefined when unknown or expired. */
  check(token: string | undefined): StaffUser | undefined {
    if (token === undefined) return undefined;
    const session = this.sessions.get(token);
    if (session === undefined) return undefined;
    if (session.expiresAt < this.clock.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session.user;
  }
}
