// The floor view's HTTP and WebSocket API on the edge, one plugin per resource: the page, staff sign-in, the
// store snapshot and audit, exception decisions and their camera frames, visit replay, alerts and the live
// feed (the server registers @fastify/websocket). Every route declares the staff role it needs
// (staff-role-hook.ts); refusals are domain errors the edge's error mapper answers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertRoutes } from './alert-routes.ts';
import { calibrationRoutes } from './calibration-routes.ts';
import { exceptionFrameRoutes } from './exception-frame-routes.ts';
import { exceptionRoutes } from './exception-routes.ts';
import type { FloorHub } from './floor-hub.ts';
import { floorLiveRoutes } from './floor-live-routes.ts';
import { floorPageRoutes } from './floor-page-routes.ts';
import { floorSessionRoutes } from './floor-session-routes.ts';
import type { FloorSource } from './floor-source.ts';
import { floorStateRoutes } from './floor-state-routes.ts';
import { heatmapRoutes } from './heatmap-routes.ts';
import { replayRoutes } from './replay-routes.ts';
import type { StaffAuth } from './staff-auth.ts';
import { installStaffRoles } from './staff-role-hook.ts';

export interface FloorRoutesOptions {
  auth: StaffAuth;
  hub: FloorHub;
  floor: FloorSource;
}

export const floorRoutes: FastifyPluginAsyncTypebox<FloorRoutesOptions> = async (
  app,
  { auth, hub, floor },
) => {
  installStaffRoles(app, auth);
  await app.register(floorPageRoutes);
  await app.register(floorSessionRoutes, { auth });
  await app.register(floorStateRoutes, { floor });
  await app.register(exceptionRoutes, { floor });
  await app.register(exceptionFrameRoutes, { floor });
  await app.register(replayRoutes, { floor });
  await app.register(alertRoutes, { floor });
  await app.register(heatmapRoutes, { floor });
  await app.register(calibrationRoutes, { floor });
  await app.register(floorLiveRoutes, { hub });
};
