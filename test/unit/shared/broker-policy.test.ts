// The broker policy derived from the store config: what each principal may publish and subscribe, topic and
// filter matching, the Mosquitto files written from it and the `$7$` hashes Mosquitto checks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../shared/broker/broker-credentials.ts';
import {
  BrokerPolicyError,
  brokerPolicy,
  DEFAULT_VISION_WORKER_LOGINS,
  filterCovers,
  mayPublish,
  maySubscribe,
  type Principal,
  topicMatches,
} from '../../../shared/broker/broker-policy.ts';
import { mosquittoAclFile } from '../../../shared/broker/mosquitto-files.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';

const store = loadStoreConfig('stores/sample-store.json');
const policy = brokerPolicy(store);
const who = (username: string) => policy.principals.get(username) as Principal;
const t = (rest: string) => `walkout/v1/store-001/${rest}`;

describe('broker policy', () => {
  it('has one principal per shelf, gate and camera, the edge, floor and simulator processes, and 4 vision workers', () => {
    const devices = store.shelves.length + store.gates.length + store.cameras.length;
    expect(policy.principals.size).toBe(devices + 3 + DEFAULT_VISION_WORKER_LOGINS);
    expect(brokerPolicy(store, { visionWorkers: 6 }).principals.size).toBe(devices + 3 + 6);
    expect(() => brokerPolicy(store, { visionWorkers: -1 })).toThrow(BrokerPolicyError);
    expect(who('S01').role).toBe('shelf-controller');
    expect(who('G-IN').role).toBe('gate-scanner');
    expect(who('CAM1').role).toBe('camera');
  });

  it('lets a shelf controller write only its own weights and status', () => {
    expect(mayPublish(who('S01'), t('shelf/S01/weights'))).toBe(true);
    expect(mayPublish(who('S01'), t('device/S01/status'))).toBe(true);
    expect(mayPublish(who('S01'), t('shelf/S02/weights'))).toBe(false);
    expect(mayPublish(who('S01'), t('device/S02/status'))).toBe(false);
    expect(mayPublish(who('S01'), t('gate/G-IN/command'))).toBe(false);
    expect(mayPublish(who('S01'), 'walkout/v1/other-store/shelf/S01/weights')).toBe(false);
    expect(maySubscribe(who('S01'), t('gate/+/command'))).toBe(false);
    expect(maySubscribe(who('S01'), '#')).toBe(false);
  });

  it('lets a gate scanner write its scans and read only its own commands', () => {
    expect(mayPublish(who('G-IN'), t('gate/G-IN/scan'))).toBe(true);
    expect(mayPublish(who('G-IN'), t('gate/G-IN/command'))).toBe(false);
    expect(maySubscribe(who('G-IN'), t('gate/G-IN/command'))).toBe(true);
    expect(maySubscribe(who('G-IN'), t('gate/G-OUT/command'))).toBe(false);
    expect(maySubscribe(who('G-IN'), t('gate/+/command'))).toBe(false);
  });

  it('lets a vision worker read every camera frame (as a shared subscription) and write only detections', () => {
    const worker = who('vision-worker-2');
    expect(worker.role).toBe('vision-worker');
    expect(maySubscribe(worker, t('camera/+/frame'))).toBe(true);
    expect(maySubscribe(worker, t('shelf/+/weights'))).toBe(false);
    expect(mayPublish(worker, t('vision/CAM3/detections'))).toBe(true);
    expect(mayPublish(worker, t('device/vision-worker-2/status'))).toBe(true);
    expect(mayPublish(worker, t('device/vision-worker-1/status'))).toBe(false);
    expect(mayPublish(worker, t('camera/CAM3/frame'))).toBe(false);
    expect(mayPublish(worker, t('edge/tracks'))).toBe(false);
    // only workers write detections; the edge reads them
    for (const p of policy.principals.values())
      expect(mayPublish(p, t('vision/CAM3/detections'))).toBe(p.role === 'vision-worker');
    expect(maySubscribe(who('edge'), t('vision/+/detections'))).toBe(true);
  });

  it('lets a camera write only its own frames and status', () => {
    expect(mayPublish(who('CAM1'), t('camera/CAM1/frame'))).toBe(true);
    expect(mayPublish(who('CAM1'), t('camera/CAM2/frame'))).toBe(false);
    expect(mayPublish(who('CAM1'), t('gate/G-IN/command'))).toBe(false);
  });

  it('lets only the edge write gate commands, stock, tracks and alerts', () => {
    const outputs = [t('gate/G-IN/command'), t('lane/L001/stock'), t('edge/tracks'), t('edge/alerts')];
    for (const p of policy.principals.values())
      for (const topic of outputs) expect(mayPublish(p, topic)).toBe(p.username === 'edge');
    expect(maySubscribe(who('edge'), t('shelf/+/weights'))).toBe(true);
    expect(maySubscribe(who('floor'), t('shelf/+/weights'))).toBe(false);
    expect(maySubscribe(who('simulator'), t('shelf/+/weights'))).toBe(true);
  });

  it('refuses a store config whose device ids collide', () => {
    const clash = { ...store, cameras: [{ ...(store.cameras[0] as (typeof store.cameras)[0]), id: 'S01' }] };
    expect(() => brokerPolicy(clash)).toThrow(BrokerPolicyError);
    const reserved = {
      ...store,
      cameras: [{ ...(store.cameras[0] as (typeof store.cameras)[0]), id: 'edge' }],
    };
    expect(() => brokerPolicy(reserved)).toThrow(/same id as/);
  });
});

describe('topic and filter matching', () => {
  it('matches MQTT wildcards as brokers do', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+/c', 'a/b/c/d')).toBe(false);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('a/b', 'a/+')).toBe(false);
    expect(filterCovers('a/+/c', 'a/+/c')).toBe(true);
    expect(filterCovers('a/+/c', 'a/x/c')).toBe(true);
    expect(filterCovers('a/x/c', 'a/+/c')).toBe(false);
    expect(filterCovers('a/+/c', 'a/#')).toBe(false);
    expect(filterCovers('a/#', 'a/+/c')).toBe(true);
  });
});

describe('Mosquitto files', () => {
  it('writes one user block per principal with write and read grants', () => {
    const acl = mosquittoAclFile(policy);
    expect(acl).toContain('user S01\ntopic write walkout/v1/store-001/shelf/S01/weights\n');
    expect(acl).toContain('user G-IN\ntopic write walkout/v1/store-001/gate/G-IN/scan\n');
    expect(acl).toContain('topic read walkout/v1/store-001/gate/G-IN/command\n');
    expect(acl).toContain('user edge\ntopic write walkout/v1/store-001/gate/+/command\n');
  });

  it('hashes passwords as mosquitto_passwd does ($7$, PBKDF2-SHA512)', () => {
    const hash = hashPassword('s3cret-device-password');
    expect(hash).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/=]{88}$/);
    expect(verifyPassword('s3cret-device-password', hash)).toBe(true);
    expect(verifyPassword('s3cret-device-passwore', hash)).toBe(false);
    expect(verifyPassword('x', 'plain')).toBe(false);
  });

  it.skipIf(!existsSync('/usr/bin/mosquitto_passwd'))('verifies a hash mosquitto_passwd wrote', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'walkout-pw-')), 'pw');
    execFileSync('mosquitto_passwd', ['-b', '-c', file, 'S01', 'from-mosquitto-passwd']);
    const hash = readFileSync(file, 'utf8').trim().split(':')[1] ?? '';
    expect(verifyPassword('from-mosquitto-passwd', hash)).toBe(true);
  });
});
