// Staff sign-in for the floor view: named users with a role (viewer watches; supervisor also decides
// exceptions), passwords checked with scrypt on libuv's thread pool (a sign-in never blocks the event loop
// that serves the floor's WebSocket), short-lived bearer tokens kept in memory, and the check that a token's
// user may do what a role allows.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { StaffRole } from '../../shared/schemas/floor-staff.ts';

export type { StaffRole };

export interface StaffUser {
  name: string;
  role: StaffRole;
}

export class StaffConfigError extends Error {
  readonly code = 'INVALID_FLOOR_STAFF';
}

/** Why a sign-in or a signed-in request was refused; `code` is stable (the floor API answers with it). */
export type StaffAuthErrorCode = 'invalid_credentials' | 'unauthorized' | 'forbidden';

export abstract class StaffAuthError extends Error {
  abstract readonly code: StaffAuthErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Unknown user or wrong password (which one is not told). */
export class InvalidCredentialsError extends StaffAuthError {
  readonly code = 'invalid_credentials';

  constructor(readonly user: string) {
    super('Wrong user name or password.');
  }
}

/** No token, or one this edge did not issue or that has expired (edge restarted, shift over). */
export class SignInRequiredError extends StaffAuthError {
  readonly code = 'unauthorized';

  constructor(readonly reason: 'no-token' | 'unknown-token' | 'expired') {
    super('Sign in to the floor view first.');
  }
}

/** Signed in, but the role does not allow it. */
export class RoleForbiddenError extends StaffAuthError {
  readonly code = 'forbidden';

  constructor(
    readonly user: StaffUser,
    readonly needed: StaffRole,
  ) {
    super(`Only a ${needed} can do this; ${user.name} is signed in as a ${user.role}.`);
  }
}

/** What each role may do, by rank: a supervisor may do everything a viewer may. */
const RANK: Readonly<Record<StaffRole, number>> = { viewer: 0, supervisor: 1 };

/** Session lifetime: one shift. */
const TOKEN_TTL_MS = 12 * 3600_000;

/** scrypt cost: the cloud's PASSWORD_PARAMS (N = 2^15, r = 8, p = 1; 32 MiB, ~60 ms here). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** At start only (once per configured user). */
function hashAtStart(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, SCRYPT);
}

function hash(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
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
      this.users.set(s.name, { role: s.role, salt, hash: hashAtStart(s.password, salt) });
    }
  }

  /** Issues a token for the user; rejects with InvalidCredentialsError. */
  async signIn(name: string, password: string): Promise<{ token: string; user: StaffUser }> {
    const user = this.users.get(name);
    // an unknown name costs the same hash, so timing does not tell which names exist
    const salt = user?.salt ?? randomBytes(16);
    const candidate = await hash(password, salt);
    if (user === undefined || !timingSafeEqual(candidate, user.hash)) throw new InvalidCredentialsError(name);
    const token = randomBytes(24).toString('base64url');
    const staff = { name, role: user.role };
    const now = this.clock.now();
    // tokens nobody uses again are forgotten here, so months of shifts do not pile up in memory
    for (const [old, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(old);
    this.sessions.set(token, { user: staff, expiresAt: now + TOKEN_TTL_MS });
    return { token, user: staff };
  }

  /** Sign-ins held in memory (expired ones are forgotten at the next sign-in). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The signed-in user for a token, if their role allows `needed`; throws SignInRequiredError, RoleForbiddenError. */
  authorize(token: string | undefined, needed: StaffRole): StaffUser {
    const found = this.lookUp(token);
    if (typeof found === 'string') throw new SignInRequiredError(found);
    if (RANK[found.role] < RANK[needed]) throw new RoleForbiddenError(found, needed);
    return found;
  }

  private lookUp(token: string | undefined): StaffUser | SignInRequiredError['reason'] {
    if (token === undefined) return 'no-token';
    const session = this.sessions.get(token);
    if (session === undefined) return 'unknown-token';
    if (session.expiresAt < this.clock.now()) {
      this.sessions.delete(token);
      return 'expired';
    }
    return session.user;
  }
}
