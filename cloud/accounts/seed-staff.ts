// Brings staff logins in line with the configuration at start: each configured staff member gets (or keeps)
// an account with the staff role and the configured password. Staff sign in at POST /v1/auth/sessions.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { Database } from '../db/database.ts';
import { hashPassword } from './passwords.ts';

export interface StaffSetup {
  email: string;
  password: string;
  name: string;
}

const MIN_STAFF_PASSWORD = 12;

export async function seedStaff(db: Database, staff: readonly StaffSetup[], clock: Clock): Promise<void> {
  for (const member of staff) {
    if (member.password.length < MIN_STAFF_PASSWORD) {
      throw new Error(`staff ${member.email}: password shorter than ${MIN_STAFF_PASSWORD} characters`);
    }
    await db.query(
      `INSERT INTO accounts (account_id, email, name, password_hash, role, created_at)
       VALUES ($1, $2, $3, $4, 'staff', $5)
       ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash,
         role = 'staff'`,
      [
        randomUUID(),
        member.email.trim().toLowerCase(),
        member.name,
        await hashPassword(member.password),
        clock.now(),
      ],
    );
  }
}
