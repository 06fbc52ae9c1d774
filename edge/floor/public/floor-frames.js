// Floor view: the camera frames kept with an exception, as a filmstrip in its card (frames during the event
// outlined) and a viewer that enlarges one, with previous/next by click or arrow keys. Uses floor.js's S.

/** by exception id: { frames: [{ frameId, camera, captureTs }], complete } */
const exceptionFrames = new Map();

function setExceptionFrames(exceptionId, frames, complete) {
  exceptionFrames.set(exceptionId, { frames, complete });
}

function frameUrl(exceptionId, frameId) {
  return `/floor/api/exceptions/${encodeURIComponent(exceptionId)}/frames/${frameId}?token=${encodeURIComponent(S.token)}`;
}

function frameLabel(frame, event) {
  const s = (frame.captureTs - event.startTs) / 1000;
  return `${frame.camera} ${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(1)} s`;
}

/** The filmstrip for an exception card (HTML). */
function filmstrip(x) {
  if (!S.layout?.cameras?.length) return '';
  const kept = exceptionFrames.get(x.exceptionId);
  const frames = kept?.frames ?? [];
  if (frames.length === 0)
    return `<div class="filmstrip empty muted">${kept?.complete ? 'No camera frames for this moment.' : 'Collecting camera frames…'}</div>`;
  const e = x.event;
  return `<div class="filmstrip" title="camera frames from 2 s before to 2 s after the event">${frames
    .map(
      (f, i) =>
        `<figure class="${f.captureTs >= e.startTs && f.captureTs <= e.endTs ? 'during' : ''}"><img loading="lazy" alt="${esc(frameLabel(f, e))}" src="${frameUrl(x.exceptionId, f.frameId)}" data-frame="${i}"><figcaption>${esc(frameLabel(f, e))}</figcaption></figure>`,
    )
    .join('')}${kept.complete ? '' : '<span class="muted">…</span>'}</div>`;
}

const viewer = { exceptionId: null, index: 0 };
function showFrame(exceptionId, index) {
  const kept = exceptionFrames.get(exceptionId);
  const x = S.exceptions.get(exceptionId);
  const frame = kept?.frames[index];
  if (!frame || !x) return;
  viewer.exceptionId = exceptionId;
  viewer.index = index;
  $('frame-image').src = frameUrl(exceptionId, frame.frameId);
  $('frame-caption').textContent =
    `${frameLabel(frame, x.event)} · ${time(frame.captureTs)} · ${x.event.kind} on ${x.event.lanes.join(', ')} · frame ${index + 1} of ${kept.frames.length}`;
  $('frame-viewer').hidden = false;
}
function stepFrame(delta) {
  const kept = exceptionFrames.get(viewer.exceptionId);
  if (!kept) return;
  showFrame(viewer.exceptionId, Math.max(0, Math.min(kept.frames.length - 1, viewer.index + delta)));
}
function closeFrame() {
  $('frame-viewer').hidden = true;
  viewer.exceptionId = null;
}
$('tab-exceptions').addEventListener('click', (ev) => {
  const img = ev.target.closest('img[data-frame]');
  const card = ev.target.closest('[data-x]');
  if (img && card) showFrame(card.dataset.x, Number(img.dataset.frame));
});
$('frame-prev').onclick = () => stepFrame(-1);
$('frame-next').onclick = () => stepFrame(1);
$('frame-close').onclick = closeFrame;
$('frame-viewer').addEventListener('click', (ev) => {
  if (ev.target.id === 'frame-viewer') closeFrame();
});
document.addEventListener('keydown', (ev) => {
  if ($('frame-viewer').hidden) return;
  if (ev.key === 'Escape') closeFrame();
  if (ev.key === 'ArrowLeft') stepFrame(-1);
  if (ev.key === 'ArrowRight') stepFrame(1);
});

window.floorFrames = { set: setExceptionFrames, filmstrip };
