// Staff sign-in for the edge's floor view: who may sign in with which role, and what a sign-in answers.
import { type Static, Type } from 'typebox';

/** viewer watches the floor and acknowledges alerts; supervisor also decides exceptions and reads the audit. */
export const StaffRoleSchema = Type.Union([Type.Literal('viewer'), Type.Literal('supervisor')]);

export const StaffUserSchema = Type.Object({ name: Type.String(), role: StaffRoleSchema });

export const StaffLoginBodySchema = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});

export const StaffSessionSchema = Type.Object({
  /** Bearer token for the floor API and the WebSocket; lives one shift. */
  token: Type.String(),
  user: StaffUserSchema,
});

/** Where a browser cannot send a header (an <img>, a WebSocket), the token travels as `?token=`. */
export const StaffTokenQuerySchema = Type.Object({
  token: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The sign-in token, for <img> and WebSocket URLs',
    }),
  ),
});

export type StaffRole = Static<typeof StaffRoleSchema>;
export type StaffUserBody = Static<typeof StaffUserSchema>;
export type StaffLoginBody = Static<typeof StaffLoginBodySchema>;
export type StaffSession = Static<typeof StaffSessionSchema>;
