// @ts-check
// The edge's floor API as the page calls it: one function per endpoint, typed by what it answers; calls
// carry the signed-in token, and a 401 signs the page out.
/**
 * @import { FloorSnapshotMessages } from '../../../shared/floor-messages.ts'
 * @import { AlertAck, AssignBody } from '../../../shared/schemas/floor-decisions.ts'
 * @import { FloorHeatMap } from '../../../shared/schemas/floor-heat.ts'
 * @import { VisitReplay } from '../../../shared/schemas/floor-snapshot.ts'
 * @import { StaffSession } from '../../../shared/schemas/floor-staff.ts'
 * @import { CalibrationCameras, CalibrationClick, CameraCalibration } from '../../../shared/schemas/camera-calibration.ts'
 */
import { signedIn, signOut } from './floor-auth.js';

/**
 * @param {string} path
 * @param {object} [body] sent as JSON with a POST; without it, a GET
 * @returns {Promise<unknown>}
 */
async function call(path, body) {
  const res = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${signedIn()?.token ?? ''}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = /** @type {unknown} */ (await res.json().catch(() => ({})));
  const message = errorMessage(json);
  if (res.status === 401) {
    signOut();
    throw new Error(message ?? 'signed out');
  }
  if (!res.ok) throw new Error(message ?? `HTTP ${res.status}`);
  return json;
}

/**
 * The message of a refusal ({ error, message }), if the answer is one.
 * @param {unknown} json
 * @returns {string | undefined}
 */
function errorMessage(json) {
  if (typeof json !== 'object' || json === null || !('message' in json)) return undefined;
  const { message } = /** @type {{ message?: unknown }} */ (json);
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/**
 * Signs in; throws with the edge's reason when refused.
 * @param {string} user
 * @param {string} password
 * @returns {Promise<StaffSession>}
 */
export async function login(user, password) {
  const res = await fetch('/floor/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  const json = /** @type {unknown} */ (await res.json().catch(() => ({})));
  if (!res.ok) throw new Error(errorMessage(json) ?? `HTTP ${res.status}`);
  return /** @type {StaffSession} */ (json);
}

/** @returns {Promise<FloorSnapshotMessages>} */
export const fetchState = async () => /** @type {FloorSnapshotMessages} */ (await call('/floor/api/state'));

/**
 * @param {string} sessionId
 * @returns {Promise<VisitReplay>}
 */
export const fetchVisit = async (sessionId) =>
  /** @type {VisitReplay} */ (await call(`/floor/api/visits/${encodeURIComponent(sessionId)}`));

/**
 * The floor heat per lane over [from, to) (ms since the epoch): no one is named in it.
 * @param {number} from
 * @param {number} to
 * @returns {Promise<FloorHeatMap>}
 */
export const fetchHeat = async (from, to) =>
  /** @type {FloorHeatMap} */ (await call(`/floor/api/heatmap?from=${from}&to=${to}`));

/**
 * @param {string} exceptionId
 * @param {AssignBody} choice
 */
export const assignException = (exceptionId, choice) =>
  call(`/floor/api/exceptions/${encodeURIComponent(exceptionId)}/assign`, choice);

/** @param {string} exceptionId */
export const dropException = (exceptionId) =>
  call(`/floor/api/exceptions/${encodeURIComponent(exceptionId)}/drop`, {
    note: 'dropped from the floor view',
  });

/**
 * @param {string} alertId
 * @returns {Promise<AlertAck>}
 */
export const acknowledgeAlert = async (alertId) =>
  /** @type {AlertAck} */ (await call(`/floor/api/alerts/${encodeURIComponent(alertId)}/ack`, {}));

/**
 * A kept camera frame's address (an <img> cannot send a header: the token goes in the query).
 * @param {string} exceptionId
 * @param {number} frameId
 */
export const frameUrl = (exceptionId, frameId) =>
  `/floor/api/exceptions/${encodeURIComponent(exceptionId)}/frames/${frameId}?token=${encodeURIComponent(signedIn()?.token ?? '')}`;

/** @returns {Promise<CalibrationCameras>} */
export const fetchCalibrationCameras = async () =>
  /** @type {CalibrationCameras} */ (await call('/floor/api/cameras'));

/**
 * Fits the camera to the clicked marks; throws with the edge's reason (the error, the worst mark) when refused.
 * @param {string} camera
 * @param {CalibrationClick[]} points
 * @returns {Promise<CameraCalibration>}
 */
export const calibrateCamera = async (camera, points) =>
  /** @type {CameraCalibration} */ (
    await call(`/floor/api/cameras/${encodeURIComponent(camera)}/calibration`, { points })
  );

/**
 * The camera's newest frame (fetched anew each time: `at` defeats any cache).
 * @param {string} camera
 */
export const liveFrameUrl = (camera) =>
  `/floor/api/cameras/${encodeURIComponent(camera)}/frame?token=${encodeURIComponent(signedIn()?.token ?? '')}&at=${Date.now()}`;

/** The live WebSocket's address for this token. */
export const liveUrl = (/** @type {string} */ token) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/floor/ws?token=${encodeURIComponent(token)}`;
