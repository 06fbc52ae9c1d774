// `npm run broker:config -- --store stores/sample-store.json --out <dir>`: the store's Mosquitto 2.0 config,
// password file, ACL and credentials file (secrets, 0600), from the store config. See docs/mqtt-api.md.
import { DEFAULT_VISION_WORKER_LOGINS } from '../shared/broker/broker-policy.ts';
import { writeBrokerFiles } from '../shared/broker/write-broker-files.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run broker:config -- --store <store.json> --out <dir> [options]
  --plain-port <n>        plain MQTT listener for the edge on this host (default 1883; 0: none)
  --plain-bind <addr>     address of the plain listener (default 127.0.0.1)
  --tls-port <n>          TLS listener for the devices (default 8883; 0: none)
  --cafile <path>         CA certificate (default /etc/mosquitto/certs/walkout-ca.crt)
  --certfile <path>       broker certificate (default /etc/mosquitto/certs/walkout-broker.crt)
  --keyfile <path>        broker key (default /etc/mosquitto/certs/walkout-broker.key)
  --require-client-cert   devices must also present a certificate signed by the CA
  --run-as <user>         user Mosquitto runs as after binding (default: Mosquitto's own, "mosquitto")
  --vision-workers <n>    logins vision-worker-1…n for vision workers (default ${DEFAULT_VISION_WORKER_LOGINS}, at most 256);
                          raising it later keeps every existing secret: reload Mosquitto (kill -HUP) and
                          start the new worker
  --rotate                new secrets for every device and process (default: keep those in <dir>)`;

function main(): void {
  const cli = commandLine({
    command: 'broker:config',
    usage: USAGE,
    options: {
      store: { type: 'string' },
      out: { type: 'string' },
      'plain-port': { type: 'string', default: '1883' },
      'plain-bind': { type: 'string', default: '127.0.0.1' },
      'tls-port': { type: 'string', default: '8883' },
      cafile: { type: 'string', default: '/etc/mosquitto/certs/walkout-ca.crt' },
      certfile: { type: 'string', default: '/etc/mosquitto/certs/walkout-broker.crt' },
      keyfile: { type: 'string', default: '/etc/mosquitto/certs/walkout-broker.key' },
      'require-client-cert': { type: 'boolean', default: false },
      'run-as': { type: 'string' },
      'vision-workers': { type: 'string', default: String(DEFAULT_VISION_WORKER_LOGINS) },
      rotate: { type: 'boolean', default: false },
    },
  });
  const { values } = cli;
  const storePath = values.store ?? cli.fail('--store <store.json> is needed');
  const out = values.out ?? cli.fail('--out <dir> is needed');
  const port = { min: 0, max: 65535 };
  const plainPort = cli.integer('plain-port', port);
  const tlsPort = cli.integer('tls-port', port);
  const visionWorkers = cli.integer('vision-workers', { min: 0, max: 256 });
  const store = loadStoreConfig(storePath);
  const files = writeBrokerFiles(store, out, {
    plain: plainPort === 0 ? undefined : { port: plainPort, bind: values['plain-bind'] },
    tls:
      tlsPort === 0
        ? undefined
        : {
            port: tlsPort,
            caFile: values.cafile,
            certFile: values.certfile,
            keyFile: values.keyfile,
            requireClientCertificate: values['require-client-cert'],
          },
    runAs: values['run-as'],
    rotate: values.rotate,
    visionWorkers,
  });
  const principals = Object.keys(files.logins.logins).length;
  console.log(`broker files for store ${store.storeId} (${principals} principals) in ${files.dir}:
  ${files.conf}
  ${files.passwords}   (PBKDF2-SHA512 hashes, $7$)
  ${files.acl}
  ${files.credentials}   (the secrets, mode 0600: hand each device its own, never commit)
  ${files.gateCommandKey}   (the edge signs gate commands with it: GATE_COMMAND_KEY_FILE, 0600)
  ${files.gateCommandPublicKey}   (install on every gate: it opens only for commands this key signed)
${files.generated.length === principals ? '  all secrets new' : `  new secrets: ${files.generated.join(', ') || 'none (kept the existing ones)'}`}
start it with: mosquitto -c ${files.conf}`);
}

try {
  main();
} catch (err) {
  console.error(`broker:config failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
