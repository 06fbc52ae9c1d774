// Camera calibration on the floor view (supervisors only): the cameras with the store's floor marks, a
// camera's live picture to click them in, and the clicks posted back to fit, store and apply its homography.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CalibrationBodySchema,
  CalibrationCamerasSchema,
  CameraCalibrationSchema,
} from '../../shared/schemas/camera-calibration.ts';
import { StaffTokenQuerySchema } from '../../shared/schemas/floor-staff.ts';
import { errorResponses } from '../http/error-mapper.ts';
import { BinarySchema } from '../http/openapi.ts';
import type { FloorSource } from './floor-source.ts';
import { signedIn } from './staff-role-hook.ts';

const CameraParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Camera id of the store config' }),
});

export const calibrationRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (
  app,
  { floor },
) => {
  app.get(
    '/floor/api/cameras',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['calibration'],
        summary:
          'The cameras, the floor marks where each camera now expects them, and their last calibration',
        response: { 200: CalibrationCamerasSchema, ...errorResponses(401, 403) },
      },
    },
    async () => floor.calibrationCameras(),
  );

  app.get(
    '/floor/api/cameras/:id/frame',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['calibration'],
        summary: "The camera's newest frame, as JPEG (an <img> fetches it with ?token=)",
        description: '404 camera_not_found; no_live_frame (the camera sent nothing in the last seconds).',
        params: CameraParamsSchema,
        querystring: Type.Object({
          ...StaffTokenQuerySchema.properties,
          at: Type.Optional(Type.Number({ description: 'Any value: makes each picture a new URL' })),
        }),
        response: {
          200: { description: 'The frame', content: { 'image/jpeg': { schema: BinarySchema } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      reply.type('image/jpeg').header('cache-control', 'no-store').send(floor.liveFrame(request.params.id)),
  );

  app.post(
    '/floor/api/cameras/:id/calibration',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['calibration'],
        summary:
          'Fit the camera to 4 or more clicked floor marks; stored and used at once when the fit is good',
        description:
          'Least squares over all points (normalised DLT, lens distortion taken out first). 422 calibration_refused: ' +
          'unknown or repeated marks, points on one line, or an error above the limits (the message names the worst mark).',
        params: CameraParamsSchema,
        body: CalibrationBodySchema,
        response: { 200: CameraCalibrationSchema, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => floor.calibrate(request.params.id, request.body.points, signedIn(request)),
  );
};
