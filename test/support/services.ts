// Which real services the integration suites run against. CI sets WALKOUT_TEST_MQTT_URL (Mosquitto) and
// WALKOUT_TEST_DATABASE_URL (PostgreSQL) and WALKOUT_REQUIRE_SERVICES=1, so nothing may be skipped there;
// on a laptop without them the suites are skipped and say why.

export interface RealService {
  name: string;
  url: string | undefined;
  /** Why the suite is skipped, or undefined when it runs. */
  skipReason: string | undefined;
}

function service(name: string, variable: string): RealService {
  const url = process.env[variable];
  if (url !== undefined && url !== '') return { name, url, skipReason: undefined };
  const skipReason = `${name} suite skipped: set ${variable} to run it against a real ${name}`;
  if (process.env.WALKOUT_REQUIRE_SERVICES === '1') {
    throw new Error(`${variable} is not set but WALKOUT_REQUIRE_SERVICES=1: CI must run every suite`);
  }
  console.warn(`[walkout tests] ${skipReason}`);
  return { name, url: undefined, skipReason };
}

export const realMosquitto = (): RealService => service('Mosquitto', 'WALKOUT_TEST_MQTT_URL');
export const realPostgres = (): RealService => service('PostgreSQL', 'WALKOUT_TEST_DATABASE_URL');

/** Waits until `predicate` returns a value, polling; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  predicate: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
