// The floor view's live feed: a WebSocket that carries every floor message (shelf and session events,
// stock, health, alerts, exceptions and their frames, tracks) as JSON as it happens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FloorMessageSchema } from '../../shared/schemas/floor-snapshot.ts';
import { errorBody, errorResponses } from '../http/error-mapper.ts';
import { FLOOR_CLIENT_MAX_BUFFERED_BYTES, type FloorHub } from './floor-hub.ts';

export const floorLiveRoutes: FastifyPluginAsyncTypebox<{ hub: FloorHub }> = async (app, { hub }) => {
  app.route({
    method: 'GET',
    url: '/floor/ws',
    config: { role: 'viewer' },
    schema: {
      tags: ['floor'],
      summary: 'Live floor messages (WebSocket; the token as ?token=)',
      description:
        'Upgrade to a WebSocket: each message is one JSON floor message. Without a valid token the upgrade is ' +
        'refused with 401; a plain GET answers 426 upgrade_required.',
      response: {
        101: Type.Object(FloorMessageSchema.properties, {
          description: 'Upgraded: every message is like this',
        }),
        ...errorResponses(401, 426),
      },
    },
    handler: async (_request, reply) =>
      reply
        .status(426)
        .header('upgrade', 'websocket')
        .send(errorBody('upgrade_required', 'Connect with a WebSocket client to follow the floor.')),
    wsHandler: (socket) => {
      const disconnect = hub.connect((text) => {
        if (socket.readyState !== socket.OPEN) return true;
        // a client that stopped reading is cut, not buffered for ever; its page reconnects and reloads
        if (socket.bufferedAmount > FLOOR_CLIENT_MAX_BUFFERED_BYTES) {
          socket.terminate();
          return false;
        }
        socket.send(text);
        return true;
      });
      socket.on('close', disconnect);
      socket.on('error', disconnect);
    },
  });
};
