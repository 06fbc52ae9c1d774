// Production mode in the cloud: the embedded database, the development store credential and default or short
// staff passwords are refused; a store's own settings pass.
import { describe, expect, it } from 'vitest';
import { cloudProductionProblems } from '../../../cloud/production-checks.ts';

const good = {
  DATABASE_URL: 'postgres://walkout@db/walkout',
  STORE_CREDENTIAL: 'a-generated-store-credential-0123456789',
  STAFF_PASSWORD: 'a long staff passphrase',
};

describe('cloud production checks', () => {
  it("passes a store's own settings", () => {
    expect(cloudProductionProblems(good)).toEqual([]);
  });

  it('refuses the embedded database, the development credential and a default staff password', () => {
    expect(
      cloudProductionProblems({ STORE_CREDENTIAL: 'dev-store-credential', STAFF_PASSWORD: 'walkout-demo' }),
    ).toEqual([
      expect.stringMatching(/^DATABASE_URL/),
      expect.stringMatching(/^STORE_CREDENTIAL is the development default/),
      expect.stringMatching(/^STAFF_PASSWORD/),
    ]);
    expect(cloudProductionProblems({ ...good, STORE_CREDENTIAL: undefined })).toEqual([
      'STORE_CREDENTIAL must be set',
    ]);
  });

  it('refuses billing visits that name no entry token', () => {
    expect(cloudProductionProblems({ ...good, VISITS_WITHOUT_ENTRY_TOKEN: 'allow' })).toEqual([
      expect.stringMatching(/^VISITS_WITHOUT_ENTRY_TOKEN=allow/),
    ]);
  });
});
