// Floor view: replay of a past visit on the map, four times faster than it happened: the shopper's tracks
// (every person of the party) move with a fading trail, and the lanes of their shelf events flash when
// they happened. Uses floor.js's S, api, short and the map's transform.

const REPLAY_SPEED = 4;

async function startReplay(sessionId) {
  const visit = await api(`/floor/api/visits/${encodeURIComponent(sessionId)}`);
  const t0 = visit.session.enteredAt;
  /** by track id: points with replay time (ms from the start) */
  const tracks = new Map();
  for (const p of visit.tracks ?? []) {
    if (!tracks.has(p.trackId)) tracks.set(p.trackId, []);
    tracks.get(p.trackId).push({ at: (p.ts - t0) / REPLAY_SPEED, x: p.x, y: p.y });
  }
  const events = visit.events.map((e) => ({ at: (e.startTs - t0) / REPLAY_SPEED, e }));
  const lastAt = Math.max(
    0,
    ...events.map((r) => r.at),
    ...[...tracks.values()].map((points) => points.at(-1).at),
    ((visit.session.exitedAt ?? t0) - t0) / REPLAY_SPEED,
  );
  S.replay = {
    sessionId,
    events,
    tracks,
    start: performance.now(),
    lastAt,
    label: `replay ${short(sessionId)} ×${REPLAY_SPEED}`,
  };
  window.__floor.replay = { sessionId, trackPoints: visit.tracks?.length ?? 0, events: events.length };
}

/** Where a replayed track is at replay time `at`, or undefined outside its span. */
function replayPosition(points, at) {
  if (points.length === 0 || at < points[0].at || at > points.at(-1).at) return undefined;
  let i = 1;
  while (i < points.length && points[i].at < at) i++;
  const b = points[Math.min(i, points.length - 1)];
  const a = points[i - 1];
  const k = b.at === a.at ? 1 : (at - a.at) / (b.at - a.at);
  return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
}

/** Draws the replay for this animation frame (its label above the map); X and Y map floor metres to the canvas. */
function drawReplay(ctx, now, X, Y) {
  const r = S.replay;
  if (!r) return;
  const at = now - r.start;
  for (const item of r.events)
    if (at >= item.at && !item.done) {
      item.done = true;
      for (const l of item.e.lanes) S.flashes.set(l, now);
    }
  let shown = 0;
  for (const points of r.tracks.values()) {
    const p = replayPosition(points, at);
    if (!p) continue;
    shown++;
    ctx.strokeStyle = '#e3b341';
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false;
    for (const q of points) {
      if (q.at > at) break;
      if (q.at < at - 4000 / REPLAY_SPEED) continue;
      if (started) ctx.lineTo(X(q.x), Y(q.y));
      else ctx.moveTo(X(q.x), Y(q.y));
      started = true;
    }
    ctx.lineTo(X(p.x), Y(p.y));
    ctx.stroke();
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(X(p.x), Y(p.y), 9, 0, Math.PI * 2);
    ctx.stroke();
    ctx.lineWidth = 1;
  }
  window.__floor.replayShown = shown;
  const s = (x) => `${Math.floor(x / 60)}:${String(Math.floor(x % 60)).padStart(2, '0')}`;
  ctx.fillStyle = '#e3b341';
  ctx.fillText(
    `${r.label} · ${s((at * REPLAY_SPEED) / 1000)} / ${s((r.lastAt * REPLAY_SPEED) / 1000)}${r.tracks.size ? '' : ' · no tracks stored'}`,
    24,
    14,
  );
  if (at > r.lastAt + 2000) S.replay = null;
}

window.floorReplay = { start: startReplay, draw: drawReplay };
