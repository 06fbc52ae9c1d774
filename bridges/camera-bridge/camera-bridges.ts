// One process bridging several cameras: a CameraBridge per configured camera, each with its own broker login
// and ffmpeg, started in order (a failed start stops the ones already running) and stopped in reverse.
import type { Logger } from 'pino';
import { loginFor } from '../../shared/broker/broker-credentials.ts';
import type { Clock } from '../../shared/clock.ts';
import type { BridgeConfig } from './bridge-config.ts';
import { type BridgeSettings, DEFAULT_BRIDGE_SETTINGS } from './bridge-settings.ts';
import { CameraBridge } from './camera-bridge.ts';

export interface CameraBridgesOptions {
  config: BridgeConfig;
  clock: Clock;
  logger: Logger;
  settings?: Partial<BridgeSettings>;
  ffmpegBinary?: string;
}

export class CameraBridges {
  private running: CameraBridge[] = [];
  /** by camera id */
  readonly bridges: ReadonlyMap<string, CameraBridge>;

  constructor(options: CameraBridgesOptions) {
    const { config, clock, logger } = options;
    const settings = { ...DEFAULT_BRIDGE_SETTINGS, ...options.settings };
    const bridges = new Map<string, CameraBridge>();
    for (const c of config.cameras) {
      const camera = config.store.cameras.find((s) => s.id === c.camera);
      if (camera === undefined) continue; // the config check refused it already
      const login = loginFor(config.credentials, c.camera);
      bridges.set(
        c.camera,
        new CameraBridge({
          storeId: config.store.storeId,
          camera: { id: camera.id, width: camera.imageWidth, height: camera.imageHeight },
          source: { url: c.source, fps: c.fps, ...(c.listen === undefined ? {} : { listen: c.listen }) },
          mqttUrl: config.mqttUrl,
          auth:
            login === undefined && config.ca === undefined
              ? undefined
              : {
                  ...(login === undefined ? {} : { login }),
                  ...(config.ca === undefined ? {} : { ca: config.ca }),
                },
          settings,
          clock,
          logger,
          ...(options.ffmpegBinary === undefined ? {} : { ffmpegBinary: options.ffmpegBinary }),
        }),
      );
    }
    this.bridges = bridges;
  }

  async start(): Promise<void> {
    for (const bridge of this.bridges.values()) {
      try {
        await bridge.start();
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.running.push(bridge);
    }
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = [];
    for (const bridge of running.reverse()) await bridge.stop();
  }
}
