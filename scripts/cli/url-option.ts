// Reads a command-line option's text as a URL of one of the schemes a command connects with, or throws a
// CommandLineError saying what the option must be and what it got (`--database must be a URL starting
// postgres:// or postgresql://, got localhost:5432`).
import { CommandLineError } from './numeric-option.ts';

/** A broker the store's devices and edge speak MQTT to (mqtt.js connects over TCP, TLS or WebSocket). */
export const BROKER_SCHEMES = ['mqtt', 'mqtts', 'ws', 'wss'] as const;
/** A PostgreSQL database (node-postgres takes both spellings). */
export const POSTGRES_SCHEMES = ['postgres', 'postgresql'] as const;

/** `text` as it came, once it parses as a URL with a host and one of `schemes` (without `://`). */
export function readUrl(option: string, text: string, schemes: readonly string[]): string {
  const wanted = `${option} must be a URL starting ${schemes.map((s) => `${s}://`).join(' or ')}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CommandLineError(`${wanted}, got ${text.trim() === '' ? `"${text}"` : text}`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) throw new CommandLineError(`${wanted}, got ${text}`);
  if (url.hostname === '') throw new CommandLineError(`${wanted} and naming a host, got ${text}`);
  return text;
}
