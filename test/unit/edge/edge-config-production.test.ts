// Production mode (NODE_ENV=production): the edge refuses to start anonymous on the broker, with a demo
// broker password, the development store credential, the demo staff or without its gate-command key.
import { describe, expect, it } from 'vitest';
import { loadEdgeConfig } from '../../../edge/edge-config.ts';
import { DEMO_PASSWORD_PREFIX } from '../../../shared/broker/broker-credentials.ts';
import { ProductionModeError } from '../../../shared/production-mode.ts';

const store = {
  NODE_ENV: 'production',
  MQTT_USERNAME: 'edge',
  MQTT_PASSWORD: 'a-generated-broker-secret-of-43-characters-xx',
  STORE_CREDENTIAL: 'store-credential-from-the-cloud',
  FLOOR_STAFF: 'ana:supervisor:a-long-password',
  GATE_COMMAND_KEY_FILE: '/etc/walkout/gate-command-key.pem',
};

const problems = (env: NodeJS.ProcessEnv) => {
  try {
    loadEdgeConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ProductionModeError) return err.problems;
    throw err;
  }
};

describe('edge config in production', () => {
  it("starts with the store's own secrets", () => {
    expect(problems(store)).toEqual([]);
  });

  it('refuses an anonymous broker connection and a demo broker password', () => {
    const { MQTT_USERNAME: _u, MQTT_PASSWORD: _p, ...anonymous } = store;
    expect(problems(anonymous)).toEqual([expect.stringMatching(/^no broker login/)]);
    expect(problems({ ...store, MQTT_PASSWORD: `${DEMO_PASSWORD_PREFIX}abcdefghijklmnop` })).toEqual([
      expect.stringMatching(/demo credential/),
    ]);
  });

  it('refuses the development store credential, the demo staff and a missing gate-command key', () => {
    const { STORE_CREDENTIAL: _c, FLOOR_STAFF: _f, GATE_COMMAND_KEY_FILE: _k, ...rest } = store;
    expect(problems(rest)).toHaveLength(3);
  });

  it('lets a laptop start with the defaults', () => {
    expect(problems({})).toEqual([]);
  });
});
