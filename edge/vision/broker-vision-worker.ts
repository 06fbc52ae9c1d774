// A vision worker process on the store's broker: takes camera frames through an MQTT shared subscription
// ($share/<group>/…/camera/+/frame: the broker hands each frame to one worker of the group), infers them with
// VisionWorkerCore and publishes each frame's detections on vision/{camera}/detections for the edge's tracker.
// It logs in with its own credential and announces itself online/offline (last will) on its status topic.
// Workers know nothing of each other: one more joins the group by connecting; one that dies loses the frames
// it held and the broker hands its share to the others.
import type { Logger } from 'pino';
import type { MqttAuth } from '../../shared/broker/broker-credentials.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { sharedCameraFrames, topics } from '../../shared/topics.ts';
import { createEdgeMetrics, type EdgeMetrics } from '../edge-metrics.ts';
import { MqttLink } from '../mqtt/mqtt-link.ts';
import type { VisionConfig } from './vision-config.ts';
import { VisionWorkerCore, type VisionWorkerStats } from './vision-worker-core.ts';

/** The shared-subscription group vision workers join unless told otherwise. */
export const DEFAULT_WORKER_GROUP = 'walkout-vision';

export interface BrokerVisionWorkerOptions {
  store: StoreConfig;
  config: VisionConfig;
  mqttUrl: string;
  /** The worker's broker username (`vision-worker-<n>`): its name in messages and its status topic. */
  username: string;
  auth?: MqttAuth;
  group?: string;
  logger: Logger;
  metrics?: EdgeMetrics;
}

export class BrokerVisionWorker {
  private readonly link: MqttLink;
  private readonly core: VisionWorkerCore;

  constructor(private readonly options: BrokerVisionWorkerOptions) {
    const { store, config, username, logger } = options;
    const storeId = store.storeId;
    this.link = new MqttLink({
      url: options.mqttUrl,
      storeId,
      deviceId: username,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      logger,
      metrics: options.metrics ?? createEdgeMetrics(),
      // frames are QoS 0 and a worker keeps nothing between connections: a clean session
      persistentSession: false,
      clientId: username,
    });
    this.core = new VisionWorkerCore({
      store,
      config,
      worker: username,
      logger,
      emit: (message) => this.link.publish(topics.frameDetections(storeId, message.camera), message),
    });
  }

  get stats(): VisionWorkerStats {
    return this.core.stats;
  }

  /** Loads the models, then joins the group: no frame is taken before the worker can infer it. */
  async start(): Promise<void> {
    const { store, group = DEFAULT_WORKER_GROUP } = this.options;
    await this.core.start();
    this.link.subscribe('cameraFrame', sharedCameraFrames(store.storeId, group), 0, (frame, camera) => {
      if (camera !== undefined) this.core.ingest(frame, camera);
    });
    try {
      await this.link.start();
    } catch (err) {
      await this.core.stop();
      throw err;
    }
  }

  /** Leaves the group first (the others take every frame from then on), then finishes and releases the models. */
  async stop(): Promise<void> {
    await this.link.stop();
    await this.core.stop();
  }
}
