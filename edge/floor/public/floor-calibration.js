// @ts-check
// The Cameras panel (supervisors): pick a camera, see its live picture, click the store's floor marks in it
// (each click is given to the mark chosen in the list, which then moves to the next), and send the clicks;
// the edge fits, checks and stores the camera's homography and says how far off the marks were.
/** @import { CalibrationCameras } from '../../../shared/schemas/camera-calibration.ts' */
import { calibrateCamera, fetchCalibrationCameras, liveFrameUrl } from './floor-api.js';
import { signedIn } from './floor-auth.js';
import { h } from './floor-dom.js';

/** Least marks the edge fits a homography to. */
const MIN_POINTS = 4;

/** @type {CalibrationCameras | undefined} */
let cameras;
/** by mark id: where it was clicked, in the camera's image pixels */
const clicks = /** @type {Map<string, { x: number, y: number }>} */ (new Map());
let built = false;

/** @param {number} m */
const cm = (m) => `${(m * 100).toFixed(1)} cm`;

/** @param {HTMLElement} panel */
export function renderCalibration(panel) {
  if (signedIn()?.user.role !== 'supervisor') {
    built = false;
    panel.replaceChildren(h('p', { class: 'muted' }, 'Supervisors calibrate the cameras.'));
    return;
  }
  if (built) return;
  built = true;
  panel.replaceChildren(h('p', { class: 'muted' }, 'Loading cameras…'));
  fetchCalibrationCameras()
    .then((list) => {
      cameras = list;
      build(panel);
    })
    .catch((/** @type {Error} */ err) => {
      built = false;
      panel.replaceChildren(h('p', { class: 'error' }, err.message));
    });
}

/**
 * The panel's elements.
 * @typedef {{ cameraSelect: HTMLSelectElement, markSelect: HTMLSelectElement, image: HTMLImageElement,
 *   pins: HTMLElement, points: HTMLElement, fit: HTMLButtonElement, result: HTMLElement }} View
 */

/** @param {View} view */
const currentCamera = (view) => cameras?.cameras.find((c) => c.id === view.cameraSelect.value);

/**
 * @param {View} view
 * @param {string} text
 * @param {'ok' | 'error' | 'muted'} kind
 */
function say(view, text, kind) {
  view.result.textContent = text;
  view.result.className = kind;
}

/** The clicked marks pinned on the picture and listed, and whether there are enough to calibrate. @param {View} view */
function redraw(view) {
  const camera = currentCamera(view);
  if (camera === undefined) return;
  const sx = view.image.clientWidth / camera.imageWidth;
  const sy = view.image.clientHeight / camera.imageHeight;
  view.pins.replaceChildren(
    ...[...clicks].map(([mark, p]) =>
      h('span', { class: 'cal-pin', style: `left:${p.x * sx}px;top:${p.y * sy}px`, title: mark }, mark),
    ),
  );
  const remove = (/** @type {string} */ mark) => () => {
    clicks.delete(mark);
    redraw(view);
  };
  view.points.replaceChildren(
    ...[...clicks].map(([mark, p]) =>
      h(
        'li',
        { 'data-mark': mark },
        `${mark} at (${Math.round(p.x)}, ${Math.round(p.y)}) `,
        h('button', { type: 'button', class: 'ghost', onclick: remove(mark) }, 'remove'),
      ),
    ),
  );
  const missing = MIN_POINTS - clicks.size;
  view.fit.disabled = missing > 0;
  view.fit.textContent = missing > 0 ? `Calibrate (${missing} more marks)` : 'Calibrate';
}

/** Shows the chosen camera: its picture, its marks (those it should see first), its last calibration. @param {View} view */
function loadCamera(view) {
  const camera = currentCamera(view);
  if (camera === undefined) return;
  clicks.clear();
  const last = camera.calibration;
  say(
    view,
    last
      ? `Last calibrated by ${last.calibratedBy} ${new Date(last.calibratedAt).toLocaleString()}, error ${cm(last.rmsErrorM)}.`
      : 'Not calibrated here yet: the store config’s homography is in use.',
    'muted',
  );
  const inside = (/** @type {{ expected: { x: number, y: number } | null }} */ m) =>
    m.expected !== null &&
    m.expected.x >= 0 &&
    m.expected.y >= 0 &&
    m.expected.x < camera.imageWidth &&
    m.expected.y < camera.imageHeight;
  const marks = [...camera.marks].sort((a, b) => Number(inside(b)) - Number(inside(a)));
  view.markSelect.replaceChildren(
    ...marks.map((m) => h('option', { value: m.id }, `${m.id}${inside(m) ? '' : ' (elsewhere?)'}`)),
  );
  view.image.src = liveFrameUrl(camera.id);
  redraw(view);
}

/** A click on the picture places the chosen mark there (camera pixels); the list moves on. @param {View} view @param {MouseEvent} event */
function placeMark(view, event) {
  const camera = currentCamera(view);
  const { image, markSelect } = view;
  if (camera === undefined || image.clientWidth === 0) return;
  clicks.set(markSelect.value, {
    x: (event.offsetX / image.clientWidth) * camera.imageWidth,
    y: (event.offsetY / image.clientHeight) * camera.imageHeight,
  });
  const next = [...markSelect.options].find((o) => !clicks.has(o.value));
  if (next !== undefined) markSelect.value = next.value;
  redraw(view);
}

/** Sends the clicks; the edge answers with the fit, or why it refused. @param {View} view */
function submit(view) {
  const camera = currentCamera(view);
  if (camera === undefined) return;
  view.fit.disabled = true;
  calibrateCamera(
    camera.id,
    [...clicks].map(([mark, p]) => ({ mark, x: p.x, y: p.y })),
  )
    .then((calibration) => {
      camera.calibration = calibration;
      say(
        view,
        `Calibrated ${camera.id}: error ${cm(calibration.rmsErrorM)} on average, ${cm(calibration.maxErrorM)} at worst. Tracking uses it now.`,
        'ok',
      );
    })
    .catch((/** @type {Error} */ err) => say(view, err.message, 'error'))
    .finally(() => redraw(view));
}

/** @param {HTMLElement} panel */
function build(panel) {
  if (cameras === undefined) return;
  /** @type {View} */
  const view = {
    cameraSelect: h(
      'select',
      { id: 'cal-camera' },
      cameras.cameras.map((c) => h('option', { value: c.id }, c.id)),
    ),
    markSelect: h('select', { id: 'cal-mark' }),
    image: h('img', { id: 'cal-frame', alt: 'live camera picture', draggable: 'false' }),
    pins: h('div', { class: 'cal-pins' }),
    points: h('ol', { id: 'cal-points' }),
    fit: h('button', { type: 'button', id: 'cal-fit', disabled: true }, 'Calibrate'),
    result: h('p', { id: 'cal-result' }),
  };
  view.image.addEventListener('load', () => redraw(view));
  view.image.addEventListener('error', () =>
    say(
      view,
      `No live picture from ${view.cameraSelect.value}: is the camera online, and vision on?`,
      'error',
    ),
  );
  view.image.addEventListener('click', (event) => placeMark(view, event));
  view.fit.addEventListener('click', () => submit(view));
  view.cameraSelect.addEventListener('change', () => loadCamera(view));
  const refresh = () => {
    view.image.src = liveFrameUrl(view.cameraSelect.value);
  };
  panel.replaceChildren(
    h(
      'p',
      { class: 'muted' },
      `Click at least ${MIN_POINTS} floor marks in the picture, each on the mark chosen below; spread them over the picture.`,
    ),
    h(
      'div',
      { class: 'filters' },
      h('label', {}, 'Camera ', view.cameraSelect),
      ' ',
      h('button', { type: 'button', class: 'ghost', id: 'cal-refresh', onclick: refresh }, 'New picture'),
    ),
    h('div', { class: 'cal-stage' }, view.image, view.pins),
    h('div', { class: 'filters' }, h('label', {}, 'Next click is mark ', view.markSelect), ' ', view.fit),
    view.points,
    view.result,
  );
  loadCamera(view);
}
