// A certificate authority made at test time with openssl: a CA, a broker certificate for 127.0.0.1 signed by
// it, a device (client) certificate signed by it, and a second, unrelated CA with its own client certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caFile: string;
  ca: string;
  serverCertFile: string;
  serverKeyFile: string;
  serverCert: string;
  serverKey: string;
  /** Signed by the CA. */
  client: { cert: string; key: string };
  /** Another CA, which the broker does not trust. */
  rogueCa: string;
  /** Signed by the rogue CA. */
  rogueClient: { cert: string; key: string };
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
    ].concat(['-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]),
    dir,
  );
}

function makeSigned(dir: string, ca: string, name: string, san?: string): void {
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]),
    dir,
  );
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, san === undefined ? 'basicConstraints=CA:FALSE\n' : `subjectAltName=${san}\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
    ].concat(['-days', '2', '-out', `${name}.crt`, '-extfile', ext]),
    dir,
  );
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'walkout-tls-'));
  makeCa(dir, 'ca');
  makeSigned(dir, 'ca', 'broker', 'IP:127.0.0.1,DNS:localhost');
  makeSigned(dir, 'ca', 'device');
  makeCa(dir, 'rogue-ca');
  makeSigned(dir, 'rogue-ca', 'rogue-device');
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    ca: read('ca.crt'),
    serverCertFile: join(dir, 'broker.crt'),
    serverKeyFile: join(dir, 'broker.key'),
    serverCert: read('broker.crt'),
    serverKey: read('broker.key'),
    client: { cert: read('device.crt'), key: read('device.key') },
    rogueCa: read('rogue-ca.crt'),
    rogueClient: { cert: read('rogue-device.crt'), key: read('rogue-device.key') },
  };
}
