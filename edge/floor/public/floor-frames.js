// @ts-check
// The camera frames kept with an exception: a filmstrip in its card (frames during the event outlined) and
// a viewer that enlarges one, with previous/next by click or arrow keys.
/** @import { FloorException, KeptFrames } from '../../../shared/floor-messages.ts' */
/** @import { ShelfEvent } from '../../../shared/schemas/shelf-event.ts' */
import { frameUrl } from './floor-api.js';
import { byId, h } from './floor-dom.js';
import { time } from './floor-format.js';
import { exceptionById, framesOf, storeLayout } from './floor-store.js';

/** The frame shown in the viewer, if it is open. */
const viewer = { exceptionId: /** @type {string | undefined} */ (undefined), index: 0 };

/**
 * Camera and time from the event's start, e.g. `C2 −0.4 s`.
 * @param {KeptFrames['frames'][number]} frame
 * @param {ShelfEvent} event
 */
function frameLabel(frame, event) {
  const s = (frame.captureTs - event.startTs) / 1000;
  return `${frame.camera} ${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(1)} s`;
}

/**
 * The filmstrip for an exception's card; none in a store without cameras.
 * @param {FloorException} x
 * @returns {HTMLElement | undefined}
 */
export function filmstrip(x) {
  if (!storeLayout()?.cameras.length) return undefined;
  const kept = framesOf(x.exceptionId);
  const frames = kept?.frames ?? [];
  if (frames.length === 0)
    return h(
      'div',
      { class: 'filmstrip empty muted' },
      kept?.complete ? 'No camera frames for this moment.' : 'Collecting camera frames…',
    );
  const e = x.event;
  return h(
    'div',
    { class: 'filmstrip', title: 'camera frames from 2 s before to 2 s after the event' },
    frames.map((f, i) =>
      h(
        'figure',
        { class: f.captureTs >= e.startTs && f.captureTs <= e.endTs ? 'during' : undefined },
        h('img', {
          loading: 'lazy',
          alt: frameLabel(f, e),
          src: frameUrl(x.exceptionId, f.frameId),
          'data-frame': i,
          onclick: () => showFrame(x.exceptionId, i),
        }),
        h('figcaption', {}, frameLabel(f, e)),
      ),
    ),
    kept?.complete ? null : h('span', { class: 'muted' }, '…'),
  );
}

/**
 * @param {string} exceptionId
 * @param {number} index
 */
function showFrame(exceptionId, index) {
  const kept = framesOf(exceptionId);
  const x = exceptionById(exceptionId);
  const frame = kept?.frames[index];
  if (!kept || !frame || !x) return;
  viewer.exceptionId = exceptionId;
  viewer.index = index;
  byId('frame-image', HTMLImageElement).src = frameUrl(exceptionId, frame.frameId);
  byId('frame-caption', HTMLElement).textContent =
    `${frameLabel(frame, x.event)} · ${time(frame.captureTs)} · ${x.event.kind} on ${x.event.lanes.join(', ')} · frame ${index + 1} of ${kept.frames.length}`;
  byId('frame-viewer', HTMLElement).hidden = false;
}

/** @param {number} delta */
function stepFrame(delta) {
  const kept = viewer.exceptionId === undefined ? undefined : framesOf(viewer.exceptionId);
  if (!kept || viewer.exceptionId === undefined) return;
  showFrame(viewer.exceptionId, Math.max(0, Math.min(kept.frames.length - 1, viewer.index + delta)));
}

function closeFrame() {
  byId('frame-viewer', HTMLElement).hidden = true;
  viewer.exceptionId = undefined;
}

/** Wires the viewer's buttons, its backdrop and the arrow keys. */
export function startFrameViewer() {
  const box = byId('frame-viewer', HTMLElement);
  byId('frame-prev', HTMLButtonElement).onclick = () => stepFrame(-1);
  byId('frame-next', HTMLButtonElement).onclick = () => stepFrame(1);
  byId('frame-close', HTMLButtonElement).onclick = closeFrame;
  box.addEventListener('click', (ev) => {
    if (ev.target === box) closeFrame();
  });
  document.addEventListener('keydown', (ev) => {
    if (box.hidden) return;
    if (ev.key === 'Escape') closeFrame();
    if (ev.key === 'ArrowLeft') stepFrame(-1);
    if (ev.key === 'ArrowRight') stepFrame(1);
  });
}
