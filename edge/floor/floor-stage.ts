// The floor view's HTTP side as a stage: the staff service (snapshot, replay, decisions), staff sign-in, and
// the edge's HTTP server (health, metrics, state, the floor API and its WebSocket) started on the given port.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EdgeState } from '../../shared/schemas/edge-state.ts';
import type { TrustProxy } from '../../shared/trust-proxy.ts';
import { startEdgeHttp } from '../edge-http.ts';
import type { EdgeStage } from '../edge-stages.ts';
import type { FloorHub } from './floor-hub.ts';
import { FloorService, type FloorServiceDeps } from './floor-service.ts';
import { parseStaffList, StaffAuth } from './staff-auth.ts';

export interface FloorStageOptions extends FloorServiceDeps {
  hub: FloorHub;
  registry: Registry;
  state: () => EdgeState;
  /** Floor-view staff as `name:viewer|supervisor:password,…`. */
  floorStaff: string;
  /** undefined serves nothing; 0 picks a free port. */
  port: number | undefined;
  host: string;
  trustProxy: TrustProxy;
  /** Called with the server's URL once it listens. */
  listening: (url: string) => void;
  /** Logs failed requests (500s). */
  logger: Logger;
}

export function floorStage(options: FloorStageOptions): EdgeStage {
  const floor = new FloorService(options);
  const staff = new StaffAuth(parseStaffList(options.floorStaff), options.clock);
  let app: FastifyInstance | undefined;
  return {
    name: 'http',
    start: async () => {
      if (options.port === undefined) return;
      const started = await startEdgeHttp(options.port, options.host, {
        registry: options.registry,
        state: options.state,
        auth: staff,
        hub: options.hub,
        floor,
        logger: options.logger,
        trustProxy: options.trustProxy,
      });
      app = started.app;
      options.listening(started.url);
    },
    stop: async () => {
      await app?.close();
    },
  };
}
