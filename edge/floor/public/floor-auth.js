// @ts-check
// Who is signed in: the staff token and user kept for this tab (sessionStorage), and the listeners told
// when they sign out (by the button, or because the edge no longer knows the token).
/** @import { StaffSession, StaffUserBody } from '../../../shared/schemas/floor-staff.ts' */

const TOKEN_KEY = 'floorToken';
const USER_KEY = 'floorUser';

/** @type {StaffSession | undefined} */
let current = restore();
/** @type {Set<() => void>} */
const signOutListeners = new Set();

/** @returns {StaffSession | undefined} */
function restore() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const user = sessionStorage.getItem(USER_KEY);
  if (token === null || user === null) return undefined;
  try {
    return { token, user: /** @type {StaffUserBody} */ (JSON.parse(user)) };
  } catch {
    return undefined;
  }
}

/** The signed-in staff member and their token, or undefined. */
export const signedIn = () => current;

/** @param {StaffSession} session */
export function remember(session) {
  current = session;
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(session.user));
}

export function signOut() {
  sessionStorage.clear();
  current = undefined;
  for (const listener of signOutListeners) listener();
}

/** @param {() => void} listener */
export function onSignOut(listener) {
  signOutListeners.add(listener);
}
