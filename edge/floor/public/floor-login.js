// @ts-check
// The sign-in overlay and the signed-in user in the header: a refused sign-in shows the edge's reason;
// signing out (or the edge forgetting the token) shows the overlay again.
/** @import { StaffSession } from '../../../shared/schemas/floor-staff.ts' */
import { login } from './floor-api.js';
import { onSignOut, remember, signOut } from './floor-auth.js';
import { byId } from './floor-dom.js';

/** @param {StaffSession | undefined} session */
export function showSignedIn(session) {
  byId('login', HTMLElement).hidden = session !== undefined;
  byId('logout', HTMLButtonElement).hidden = session === undefined;
  byId('who', HTMLElement).textContent = session ? `${session.user.name} (${session.user.role})` : '';
}

/**
 * Wires the form and the sign-out button; `onSignedIn` runs after each successful sign-in.
 * @param {(session: StaffSession) => void} onSignedIn
 */
export function startLogin(onSignedIn) {
  const error = byId('login-error', HTMLElement);
  onSignOut(() => showSignedIn(undefined));
  byId('logout', HTMLButtonElement).onclick = signOut;
  byId('login-form', HTMLFormElement).onsubmit = async (e) => {
    e.preventDefault();
    try {
      const session = await login(
        byId('login-user', HTMLInputElement).value,
        byId('login-password', HTMLInputElement).value,
      );
      error.textContent = '';
      remember(session);
      onSignedIn(session);
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
    }
  };
}
