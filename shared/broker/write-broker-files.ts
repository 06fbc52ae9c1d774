// Writes a store's Mosquitto files into a directory: mosquitto.conf, passwords, acl and credentials.json (the
// secrets, 0600). Existing credentials are kept (devices already carry them) unless asked to rotate.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateGateCommandKeys } from '../gate-command-signature.ts';
import type { StoreConfig } from '../store-config.ts';
import {
  type BrokerCredentials,
  generateCredentials,
  hashCredentials,
  readCredentialsFile,
  writeCredentialsFile,
} from './broker-credentials.ts';
import { brokerPolicy } from './broker-policy.ts';
import {
  type MosquittoConfOptions,
  mosquittoAclFile,
  mosquittoConf,
  mosquittoPasswordFile,
} from './mosquitto-files.ts';

export interface BrokerFilesOptions {
  plain?: MosquittoConfOptions['plain'];
  tls?: MosquittoConfOptions['tls'];
  runAs?: string;
  /** New secrets for every principal even when credentials.json exists. */
  rotate?: boolean;
  /** `demo` marks the secrets as refused in production (tests, the demo). */
  purpose?: 'store' | 'demo';
  /** Vision worker logins (default DEFAULT_VISION_WORKER_LOGINS); more later keeps the existing ones. */
  visionWorkers?: number;
}

export interface BrokerFiles {
  dir: string;
  conf: string;
  passwords: string;
  acl: string;
  credentials: string;
  /** The edge's gate-command signing key (PKCS#8, 0600) and its public half for the gates. */
  gateCommandKey: string;
  gateCommandPublicKey: string;
  /** The secrets written (and kept). */
  logins: BrokerCredentials;
  /** Principals whose secret is new in this run. */
  generated: string[];
}

export function writeBrokerFiles(
  store: StoreConfig,
  outDir: string,
  options: BrokerFilesOptions = {},
): BrokerFiles {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const policy = brokerPolicy(store, { visionWorkers: options.visionWorkers });
  const paths = {
    conf: join(dir, 'mosquitto.conf'),
    passwords: join(dir, 'passwords'),
    acl: join(dir, 'acl'),
    credentials: join(dir, 'credentials.json'),
    gateCommandKey: join(dir, 'gate-command-key.pem'),
    gateCommandPublicKey: join(dir, 'gate-command-key.pub.pem'),
  };
  const fresh = generateCredentials(policy, options.purpose ?? 'store');
  const kept =
    options.rotate !== true && existsSync(paths.credentials)
      ? readCredentialsFile(paths.credentials)
      : undefined;
  if (kept !== undefined && kept.storeId !== policy.storeId)
    throw new Error(
      `${paths.credentials} belongs to store ${kept.storeId}, not ${policy.storeId}: use another --out`,
    );
  const generated: string[] = [];
  const logins: Record<string, string> = {};
  for (const username of policy.principals.keys()) {
    const old = kept?.logins[username];
    if (old === undefined) generated.push(username);
    logins[username] = old ?? (fresh.logins[username] as string);
  }
  const credentials: BrokerCredentials = { storeId: policy.storeId, purpose: fresh.purpose, logins };
  writeCredentialsFile(paths.credentials, credentials);
  if (options.rotate === true || !existsSync(paths.gateCommandKey)) {
    const { privateKey, publicKeyPem } = generateGateCommandKeys();
    writeFileSync(paths.gateCommandKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
    });
    writeFileSync(paths.gateCommandPublicKey, publicKeyPem, { mode: 0o644 });
  }
  writeFileSync(paths.passwords, mosquittoPasswordFile(policy, hashCredentials(credentials)), {
    mode: 0o640,
  });
  writeFileSync(paths.acl, mosquittoAclFile(policy), { mode: 0o644 });
  writeFileSync(
    paths.conf,
    mosquittoConf(policy, {
      passwordFile: paths.passwords,
      aclFile: paths.acl,
      plain: options.plain,
      tls: options.tls,
      runAs: options.runAs,
    }),
    { mode: 0o644 },
  );
  return { dir, ...paths, logins: credentials, generated };
}
