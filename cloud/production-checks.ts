// What the cloud refuses to start with under NODE_ENV=production: the embedded database (lost on exit), the
// development store credential or a guessable one, a staff password that is short or a known default, and
// billing visits that name no entry token.

/** The store credential the cloud accepts on a laptop when STORE_CREDENTIAL is unset. */
export const DEV_STORE_CREDENTIAL = 'dev-store-credential';

/** Shortest store credential or staff password production accepts (NIST SP 800-63B asks at least 8; a
 * machine credential is generated, so it can be long). */
const MIN_STORE_CREDENTIAL = 24;
const MIN_STAFF_PASSWORD = 12;
const DEFAULT_PASSWORDS = ['walkout-demo', 'walkout-view', 'password', 'changeme', 'admin'];

export function cloudProductionProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.DATABASE_URL === undefined || env.DATABASE_URL === '')
    problems.push(
      'DATABASE_URL is unset: the embedded database loses every receipt on exit; set postgres://…',
    );
  const credential = env.STORE_CREDENTIAL;
  if (credential === undefined || credential === '') problems.push('STORE_CREDENTIAL must be set');
  else if (credential === DEV_STORE_CREDENTIAL || credential.length < MIN_STORE_CREDENTIAL)
    problems.push(
      `STORE_CREDENTIAL is the development default or shorter than ${MIN_STORE_CREDENTIAL} characters`,
    );
  const staffPassword = env.STAFF_PASSWORD;
  if (
    staffPassword !== undefined &&
    staffPassword !== '' &&
    (staffPassword.length < MIN_STAFF_PASSWORD || DEFAULT_PASSWORDS.includes(staffPassword))
  )
    problems.push(`STAFF_PASSWORD is a default or shorter than ${MIN_STAFF_PASSWORD} characters`);
  if (env.VISITS_WITHOUT_ENTRY_TOKEN === 'allow')
    problems.push(
      'VISITS_WITHOUT_ENTRY_TOKEN=allow would bill visits that name no entry token to whatever account they name',
    );
  return problems;
}
