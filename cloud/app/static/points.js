// @ts-check
// The points pill in the header: the shopper's balance, hidden when it cannot be read (signed out, offline).
import { history } from './api.js';
import { byId } from './dom.js';

export async function refreshPoints() {
  const pill = byId('points', HTMLElement);
  try {
    const { points } = await history();
    pill.textContent = `${points} pts`;
    pill.hidden = false;
  } catch {
    pill.hidden = true;
  }
}
