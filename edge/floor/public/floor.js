// Walkout floor view: live store map, exceptions to decide, alerts, shoppers and their carts, event feed,
// visit replay. Talks to the edge over its floor API and a WebSocket. floor-frames.js (exception frames),
// floor-alerts.js (alert titles and sounds) and floor-replay.js (visit replay) load after it.

const $ = (id) => document.getElementById(id);
const S = {
  token: sessionStorage.getItem('floorToken'),
  user: JSON.parse(sessionStorage.getItem('floorUser') || 'null'),
  layout: null,
  stock: new Map(),
  health: {},
  alerts: new Map(),
  exceptions: new Map(),
  sessions: new Map(),
  feed: [],
  tracks: new Map(),
  flashes: new Map(),
  replay: null,
  /** by session id: exit scan time, until the receipt is queued */
  exits: new Map(),
};
window.__floor = {
  latencies: [],
  messages: 0,
  fps: 0,
  frames: 0,
  arrivals: {},
  arrivalCount: 0,
  /** Live track markers as drawn (tests watch them move). */
  tracks: () =>
    [...S.tracks.values()].map((t) => ({ id: t.id, sessionId: t.sessionId, x: t.shownX, y: t.shownY })),
};
const money = (c) => `${S.layout?.currency ?? ''} ${(c / 100).toFixed(2)}`;
const name = (sku) => S.layout?.products[sku]?.name ?? sku;
const time = (ts) => new Date(ts).toLocaleTimeString();
const short = (id) => (id ? String(id).slice(0, 8) : 'nobody');
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function api(path, body) {
  const res = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${S.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) {
    signOut();
    throw new Error(json.message || 'signed out');
  }
  if (!res.ok) throw new Error(json.message || `HTTP ${res.status}`);
  return json;
}

function signOut() {
  sessionStorage.clear();
  S.token = null;
  $('login').hidden = false;
  $('logout').hidden = true;
}
$('logout').onclick = signOut;
$('login-form').onsubmit = async (e) => {
  e.preventDefault();
  const res = await fetch('/floor/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: $('login-user').value, password: $('login-password').value }),
  });
  const json = await res.json();
  if (!res.ok) {
    $('login-error').textContent = json.message;
    return;
  }
  S.token = json.token;
  S.user = json.user;
  sessionStorage.setItem('floorToken', json.token);
  sessionStorage.setItem('floorUser', JSON.stringify(json.user));
  start();
};

async function start() {
  $('login').hidden = true;
  $('logout').hidden = false;
  $('who').textContent = `${S.user.name} (${S.user.role})`;
  const snap = await api('/floor/api/state');
  S.layout = snap.store;
  $('store-name').textContent = snap.store.name;
  for (const l of snap.stock) S.stock.set(l.lane, l);
  S.health = snap.health;
  for (const a of snap.alerts) S.alerts.set(a.alertId, a);
  for (const x of snap.exceptions) S.exceptions.set(x.exceptionId, x);
  for (const [id, kept] of Object.entries(snap.exceptionFrames ?? {}))
    floorFrames.set(id, kept.frames, kept.complete);
  for (const s of snap.sessions) S.sessions.set(s.sessionId, s);
  for (const m of snap.recent) feedAdd(m);
  S.visits = snap.visits;
  renderAll();
  connect();
}

function connect() {
  const ws = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/floor/ws?token=${encodeURIComponent(S.token)}`,
  );
  ws.onopen = () => {
    $('conn').className = 'dot on';
    $('conn-text').textContent = 'live';
  };
  ws.onclose = () => {
    $('conn').className = 'dot off';
    $('conn-text').textContent = 'reconnecting…';
    if (S.token) setTimeout(connect, 1000);
  };
  ws.onmessage = (m) => handle(JSON.parse(m.data));
}

function handle(msg) {
  const st = window.__floor;
  st.messages++;
  st.latencies.push(Date.now() - msg.sentAt);
  if (st.latencies.length > 2000) st.latencies.splice(0, 1000);
  const d = msg.data;
  switch (msg.type) {
    case 'shelf-event':
      st.arrivals[d.eventId] = Date.now();
      if (++st.arrivalCount % 5000 === 0) st.arrivals = {};
      for (const l of d.lanes) S.flashes.set(l, performance.now());
      feedAdd(msg);
      refreshSession(d.sessionId);
      break;
    case 'session-event':
      feedAdd(msg);
      sessionEvent(d);
      break;
    case 'stock':
      S.mapDirty = true;
      S.stock.set(d.lane, { ...S.stock.get(d.lane), ...d });
      break;
    case 'health':
      S.mapDirty = true;
      S.health[d.shelf] = d.cells;
      break;
    case 'alert':
      alertMsg(d);
      break;
    case 'exception':
      S.exceptions.set(d.exceptionId, d);
      floorAlerts.alarm('warning');
      S.freshException = d.exceptionId;
      markDirty('exceptions');
      break;
    case 'exception-frames':
      floorFrames.set(d.exceptionId, d.frames, d.complete);
      markDirty('exceptions');
      break;
    case 'exception-closed':
      S.exceptions.delete(d.exceptionId);
      markDirty('exceptions');
      refreshSession(d.event?.sessionId);
      break;
    case 'tracks':
      for (const t of d.tracks ?? []) trackUpdate(t);
      break;
  }
}

/** A track's new position: the marker glides there (smooth at any frame rate); an exited one goes. */
function trackUpdate(t) {
  const id = t.trackId ?? t.id;
  if (t.state === 'exited') {
    S.tracks.delete(id);
    return;
  }
  const p = t.position ?? t;
  const known = S.tracks.get(id);
  S.tracks.set(id, {
    ...t,
    id,
    x: p.x,
    y: p.y,
    shownX: known?.shownX ?? p.x,
    shownY: known?.shownY ?? p.y,
    seen: performance.now(),
  });
}

function sessionEvent(e) {
  if (e.kind === 'entered')
    S.sessions.set(e.sessionId, {
      sessionId: e.sessionId,
      accountId: e.accountId,
      party: e.party,
      enteredAt: e.ts,
      cart: [],
      totalCents: 0,
      doubtful: 0,
    });
  if (e.kind === 'exited') S.exits.set(e.sessionId, e.ts);
  if (e.kind === 'receipt-queued') {
    const s = S.sessions.get(e.sessionId);
    S.visits = [
      {
        sessionId: e.sessionId,
        accountId: e.accountId,
        enteredAt: s?.enteredAt ?? e.ts,
        exitedAt: S.exits.get(e.sessionId) ?? e.ts,
      },
      ...(S.visits ?? []).filter((v) => v.sessionId !== e.sessionId),
    ].slice(0, 30);
    S.exits.delete(e.sessionId);
    S.sessions.delete(e.sessionId);
    markDirty('visits');
  }
  markDirty('shoppers');
}
let refreshTimer = null;
/** A shopper's cart changed: fetch carts at most once a second, however busy the store is. */
function refreshSession(id) {
  if (!id || !S.sessions.has(id) || refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    const snap = await api('/floor/api/state');
    for (const s of snap.sessions) S.sessions.set(s.sessionId, s);
    markDirty('shoppers');
  }, 1000);
}
function alertMsg(a) {
  if (a.state === 'cleared') S.alerts.delete(a.alertId);
  else if (a.acknowledged && !a.kind) {
    const known = S.alerts.get(a.alertId);
    if (known) known.acknowledged = a.acknowledged;
  } else {
    S.alerts.set(a.alertId, a);
    floorAlerts.alarm(floorAlerts.severity(a));
  }
  markDirty('alerts');
}

function feedAdd(msg) {
  if (msg.type !== 'shelf-event' && msg.type !== 'session-event') return;
  S.feed.unshift(msg);
  if (S.feed.length > 300) S.feed.pop();
  markDirty('events');
}

function renderCounts() {
  $('n-exceptions').textContent = S.exceptions.size;
  $('n-alerts').textContent = S.alerts.size;
  $('n-shoppers').textContent = S.sessions.size;
  $('inside').textContent = `${S.sessions.size} inside`;
}
/** Panels re-render at most 4 times a second, and only when shown: a busy store must not drown the page. */
const dirty = new Set();
function markDirty(panel) {
  dirty.add(panel);
}
const renderers = {
  exceptions: () => renderExceptions(S.freshException),
  alerts: () => renderAlerts(),
  shoppers: () => renderShoppers(),
  events: () => renderFeed(),
  visits: () => renderVisits(),
};
setInterval(() => {
  for (const panel of dirty) {
    if ($(`tab-${panel}`).hidden) continue;
    dirty.delete(panel);
    renderers[panel]();
  }
  renderCounts();
}, 250);
for (const b of document.querySelectorAll('#tabs button'))
  b.addEventListener('click', () => markDirty(b.dataset.tab));

function renderAll() {
  renderExceptions();
  renderAlerts();
  renderShoppers();
  renderFeed();
  renderVisits();
  renderCounts();
}

/** What staff chose in each card, so a re-render (new exception, frames arriving) keeps it. */
function exceptionChoices() {
  const choices = new Map();
  for (const card of document.querySelectorAll('#tab-exceptions [data-x]'))
    choices.set(card.dataset.x, {
      session: card.querySelector('.x-session')?.value,
      product: card.querySelector('.x-product')?.value,
      count: card.querySelector('.x-count')?.value,
    });
  return choices;
}
function restoreChoices(choices) {
  for (const card of document.querySelectorAll('#tab-exceptions [data-x]')) {
    const c = choices.get(card.dataset.x);
    if (!c) continue;
    if (c.session) card.querySelector('.x-session').value = c.session;
    if (c.product) card.querySelector('.x-product').value = c.product;
    if (c.count) card.querySelector('.x-count').value = c.count;
  }
}

let otherProductsHtml = '';
/** Every product by name with its unit weight: an unknown item may be any of them (built once). */
function otherProducts() {
  otherProductsHtml ||= `<optgroup label="any product (unit weight)">${Object.entries(S.layout.products)
    .sort((a, b) => a[1].name.localeCompare(b[1].name))
    .map(
      ([sku, p]) =>
        `<option value="${esc(sku)}">${esc(p.name)}${p.unitGrams ? ` · ${Math.round(p.unitGrams)} g` : ''}</option>`,
    )
    .join('')}</optgroup>`;
  return otherProductsHtml;
}

function renderExceptions(fresh) {
  const canDecide = S.user?.role === 'supervisor';
  const choices = exceptionChoices();
  const open = [...S.exceptions.values()];
  const more = open.length > 40 ? `<p class="muted">… and ${open.length - 40} more waiting</p>` : '';
  $('tab-exceptions').innerHTML =
    open
      .slice(0, 40)
      .map((x) => {
        const e = x.event;
        const products = x.candidateProducts.length
          ? x.candidateProducts
          : S.layout.shelves
              .flatMap((s) => s.lanes)
              .filter((l) => e.lanes.includes(l.id) && l.sku)
              .map((l) => ({ sku: l.sku, count: 1, likelihood: 0 }));
        return `<div class="card critical ${x.exceptionId === fresh ? 'new' : ''}" data-x="${esc(x.exceptionId)}">
      <h3>${esc(e.kind)} on ${esc(e.lanes.join(', '))} · ${esc(x.reason)}</h3>
      <div class="meta">${time(e.startTs)} · ${e.deltaGrams} g ± ${e.deltaSdGrams} · ${x.candidateSessions.length} shopper(s) could have done it${e.evidence?.rule ? ` · cameras: ${esc(e.evidence.rule)}${e.confidence ? ` (${Math.round(e.confidence * 100)} %)` : ''}` : ''}</div>
      <div class="row"><select class="x-session">${x.candidateSessions.map((s) => `<option value="${esc(s)}">session ${esc(short(s))}</option>`).join('')}</select>
      <select class="x-product">${products.map((h) => `<option value="${esc(h.sku)}" data-count="${h.count}">${esc(name(h.sku))}${h.likelihood ? ` (${Math.round(h.likelihood * 100)} %)` : ''}</option>`).join('')}${x.candidateProducts.length ? '' : otherProducts()}</select>
      <input class="x-count" type="number" min="1" max="100" value="${products[0]?.count ?? 1}" style="width:60px"></div>
      ${floorFrames.filmstrip(x)}
      <div class="row"><button class="x-assign" ${canDecide ? '' : 'disabled title="supervisors only"'}>Assign</button><button class="x-drop danger" ${canDecide ? '' : 'disabled'}>Drop</button><span class="x-error error"></span></div></div>`;
      })
      .join('') + more ||
    '<p class="muted">No doubtful picks waiting. Lines the system doubts appear here for a decision.</p>';
  restoreChoices(choices);
  renderCounts();
}
$('tab-exceptions').addEventListener('click', async (ev) => {
  const card = ev.target.closest('[data-x]');
  if (!card) return;
  const id = card.dataset.x;
  try {
    if (ev.target.classList.contains('x-assign'))
      await api(`/floor/api/exceptions/${encodeURIComponent(id)}/assign`, {
        sessionId: card.querySelector('.x-session').value,
        sku: card.querySelector('.x-product').value,
        count: Number(card.querySelector('.x-count').value),
      });
    if (ev.target.classList.contains('x-drop'))
      await api(`/floor/api/exceptions/${encodeURIComponent(id)}/drop`, {
        note: 'dropped from the floor view',
      });
  } catch (err) {
    card.querySelector('.x-error').textContent = err.message;
  }
});

function renderAlerts() {
  $('tab-alerts').innerHTML =
    [...S.alerts.values()]
      .sort((a, b) => b.ts - a.ts)
      .map(
        (
          a,
        ) => `<div class="card ${floorAlerts.severity(a)} ${a.acknowledged ? 'seen' : ''}" data-a="${esc(a.alertId)}" data-kind="${esc(a.kind)}">
    <h3>${esc(floorAlerts.title(a))} <span class="sev">${floorAlerts.severity(a)}</span></h3><div>${esc(a.message)}</div><div class="meta">${time(a.ts)}${floorAlerts.details(a) ? ` · ${floorAlerts.details(a)}` : ''}${a.acknowledged ? ` · seen by ${esc(a.acknowledged.by)}` : ''}</div>
    ${a.acknowledged ? '' : '<div class="row"><button class="ghost a-ack">Acknowledge</button></div>'}</div>`,
      )
      .join('') || '<p class="muted">No alerts.</p>';
}
$('tab-alerts').addEventListener('click', async (ev) => {
  const card = ev.target.closest('[data-a]');
  if (!card || !ev.target.classList.contains('a-ack')) return;
  const ack = await api(`/floor/api/alerts/${encodeURIComponent(card.dataset.a)}/ack`, {});
  const a = S.alerts.get(card.dataset.a);
  if (a) a.acknowledged = ack;
  renderAlerts();
});

function renderShoppers() {
  $('tab-shoppers').innerHTML =
    [...S.sessions.values()]
      .map(
        (s) => `<div class="card info"><h3>session ${esc(short(s.sessionId))} · party of ${s.party ?? 1}</h3>
    <div class="meta">in since ${time(s.enteredAt)}${s.doubtful ? ` · ${s.doubtful} doubtful` : ''}</div>
    <table>${(s.cart ?? []).map((l) => `<tr><td>${l.quantity} ×</td><td>${esc(name(l.sku))}</td></tr>`).join('')}</table>
    <div class="row"><b>${money(s.totalCents ?? 0)}</b></div></div>`,
      )
      .join('') || '<p class="muted">Nobody inside.</p>';
  renderCounts();
}

function renderFeed() {
  const kind = $('f-kind').value;
  const text = $('f-text').value.trim().toLowerCase();
  $('feed').innerHTML = S.feed
    .filter((m) => {
      const d = m.data;
      if (kind && d.kind !== kind) return false;
      return (
        !text ||
        [d.shelf, d.lane, ...(d.lanes ?? []), d.sessionId].some(
          (v) => v && String(v).toLowerCase().includes(text),
        )
      );
    })
    .slice(0, 150)
    .map((m) => {
      const d = m.data;
      const what =
        m.type === 'shelf-event'
          ? `${d.hypotheses[0] ? `${d.hypotheses[0].count} × ${esc(name(d.hypotheses[0].sku))}` : 'unknown item'} · ${esc(d.lane)} → ${esc(short(d.sessionId))}`
          : `session ${esc(short(d.sessionId))}${d.receipt ? ` · ${money(d.receipt.totalCents)} ${esc(d.receipt.status)}` : ''}`;
      return `<li><span class="k ${esc(d.kind)}">${esc(d.kind)}</span> ${what} <span class="muted">${time(d.startTs ?? d.ts)}</span></li>`;
    })
    .join('');
}
$('f-kind').onchange = renderFeed;
$('f-text').oninput = renderFeed;

function renderVisits() {
  $('tab-visits').innerHTML =
    (S.visits ?? [])
      .map(
        (v) =>
          `<div class="card" data-v="${esc(v.sessionId)}"><h3>visit ${esc(short(v.sessionId))}</h3><div class="meta">${time(v.enteredAt)} – ${time(v.exitedAt)}</div><div class="row"><button class="ghost v-play">Replay</button></div></div>`,
      )
      .join('') || '<p class="muted">Past visits appear here.</p>';
}
$('tab-visits').addEventListener('click', async (ev) => {
  const card = ev.target.closest('[data-v]');
  if (!card) return;
  if (ev.target.classList.contains('v-play')) await floorReplay.start(card.dataset.v);
});

document.querySelectorAll('#tabs button').forEach((b) => {
  b.onclick = () => {
    for (const x of document.querySelectorAll('#tabs button')) x.classList.toggle('active', x === b);
    document.querySelectorAll('.tab').forEach((t) => {
      t.hidden = t.id !== `tab-${b.dataset.tab}`;
    });
  };
});

// ---- map ----
const canvas = $('map');
const ctx = canvas.getContext('2d');
let view = { s: 1, ox: 0, oy: 0 };
function laneColour(lane, shelfId) {
  const cell = S.health[shelfId]?.[lane.loadCell];
  if (cell && cell !== 'live') return '#8957e5';
  const st = S.stock.get(lane.id);
  if (!st || !lane.sku) return '#2b3440';
  if (st.units === 0) return '#f85149';
  if (st.units <= Math.max(1, Math.floor(st.capacity * 0.2))) return '#e3b341';
  return st.misplaced?.length ? '#58a6ff' : '#2d6a4f';
}
/** The store without what moves: rebuilt only when stock or sensor health changed (at most 4×/s). */
const base = document.createElement('canvas');
let baseBuiltAt = 0;
let baseKey = '';
const laneRects = new Map();
function buildBase(w, h, dpr, now) {
  const key = `${w}x${h}x${dpr}`;
  if (key === baseKey && (!S.mapDirty || now - baseBuiltAt < 250)) return;
  baseKey = key;
  baseBuiltAt = now;
  S.mapDirty = false;
  base.width = w * dpr;
  base.height = h * dpr;
  const b = base.getContext('2d');
  b.setTransform(dpr, 0, 0, dpr, 0, 0);
  const f = S.layout.floor;
  const s = view.s;
  const X = (x) => view.ox + x * s;
  const Y = (y) => view.oy + y * s;
  b.fillStyle = '#141b22';
  b.fillRect(X(0), Y(0), f.widthM * s, f.depthM * s);
  b.strokeStyle = '#243040';
  b.strokeRect(X(0), Y(0), f.widthM * s, f.depthM * s);
  b.font = '11px system-ui';
  for (const shelf of S.layout.shelves) {
    const left = shelf.position.x - shelf.widthM / 2;
    const top = shelf.position.y - shelf.depthM / 2;
    b.fillStyle = '#1f2933';
    b.fillRect(X(left), Y(top), shelf.widthM * s, shelf.depthM * s);
    const lw = shelf.widthM / shelf.lanes.length;
    shelf.lanes.forEach((lane, i) => {
      const rect = { x: X(left + i * lw) + 1, y: Y(top) + 1, w: lw * s - 2, h: shelf.depthM * s - 2 };
      laneRects.set(lane.id, rect);
      b.fillStyle = laneColour(lane, shelf.id);
      b.fillRect(rect.x, rect.y, rect.w, rect.h);
    });
    b.fillStyle = '#8b98a5';
    b.fillText(shelf.id, X(left), Y(top) - 3);
  }
  for (const g of S.layout.gates) {
    b.fillStyle = g.kind === 'entry' ? '#3fb68b' : '#f0883e';
    b.fillRect(X(g.position.x) - 10, Y(g.position.y) - 4, 20, 8);
    b.fillText(g.id, X(g.position.x) - 12, Y(g.position.y) + 16);
  }
  b.strokeStyle = '#30363d';
  for (const c of S.layout.cameras) {
    b.beginPath();
    b.arc(X(c.position.x), Y(c.position.y), 5, 0, Math.PI * 2);
    b.stroke();
  }
}

let lastDraw = 0;
/** One colour per session: a party's people share it. */
function sessionColour(sessionId) {
  let hash = 0;
  for (const c of String(sessionId)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  // golden-angle steps keep the hues of a few shoppers far apart
  return `hsl(${Math.round((hash % 1000) * 137.508) % 360},70%,60%)`;
}
function draw(now) {
  const st = window.__floor;
  st.frames++;
  const dpr = devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== w * dpr || canvas.height !== h * dpr) {
    canvas.width = w * dpr;
    canvas.height = h * dpr;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (S.layout) {
    const f = S.layout.floor;
    const s = Math.min((w - 40) / f.widthM, (h - 40) / f.depthM);
    view = { s, ox: 20, oy: 20 };
    const X = (x) => view.ox + x * s;
    const Y = (y) => view.oy + y * s;
    buildBase(w, h, dpr, now);
    ctx.drawImage(base, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    for (const [lane, at] of S.flashes) {
      const a = 1 - (now - at) / 1500;
      const rect = laneRects.get(lane);
      if (a <= 0 || rect === undefined) {
        S.flashes.delete(lane);
        continue;
      }
      ctx.fillStyle = `rgba(255,255,255,${a})`;
      ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
    }
    // markers glide to the latest position (time constant 120 ms): smooth between 5 Hz updates
    const glide = 1 - Math.exp(-Math.min(250, now - lastDraw) / 120);
    for (const [id, t] of S.tracks) {
      if (now - t.seen > 3000) {
        S.tracks.delete(id);
        continue;
      }
      t.shownX += (t.x - t.shownX) * glide;
      t.shownY += (t.y - t.shownY) * glide;
      const colour = t.sessionId ? sessionColour(t.sessionId) : '#8b98a5';
      ctx.fillStyle = colour;
      ctx.strokeStyle = colour;
      ctx.globalAlpha = t.state === 'tentative' ? 0.5 : 1;
      ctx.beginPath();
      ctx.arc(X(t.shownX), Y(t.shownY), 7, 0, Math.PI * 2);
      ctx.fill();
      for (const hand of t.hands ?? []) {
        ctx.beginPath();
        ctx.moveTo(X(t.shownX), Y(t.shownY));
        ctx.lineTo(X(hand.x), Y(hand.y));
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      if (t.sessionId) ctx.fillText(short(t.sessionId).slice(0, 4), X(t.shownX) + 9, Y(t.shownY) - 6);
    }
    floorReplay.draw(ctx, now, X, Y);
  }
  lastDraw = now;
  requestAnimationFrame(draw);
}
requestAnimationFrame(draw);
setInterval(() => {
  const st = window.__floor;
  st.fps = st.frames;
  st.frames = 0;
  $('fps').textContent = `${st.fps} fps`;
  const l = [...st.latencies].sort((a, b) => a - b);
  if (l.length) $('latency').textContent = `p99 ${l[Math.floor(l.length * 0.99)]} ms`;
}, 1000);
/** A shopper clicked on the map: their session and party, cart and running total (HTML). */
function shopperCard(track) {
  const s = track.sessionId ? S.sessions.get(track.sessionId) : undefined;
  if (!s)
    return `<h3>Person ${esc(track.id)}</h3><p class="muted">${track.sessionId ? `session ${esc(short(track.sessionId))} has left` : 'not bound to a session (came in without a scan?)'}</p>`;
  const people = [...S.tracks.values()].filter((t) => t.sessionId === s.sessionId).length;
  return `<h3>Shopper · session ${esc(short(s.sessionId))}</h3>
    <div class="meta">account ${esc(short(s.accountId))} · party of ${s.party ?? 1} (${people} seen) · in since ${time(s.enteredAt)}${s.doubtful ? ` · ${s.doubtful} doubtful line(s) waiting` : ''}</div>
    <table>${(s.cart ?? []).map((l) => `<tr><td>${l.quantity} ×</td><td>${esc(name(l.sku))}</td><td>${money((S.layout.products[l.sku]?.priceCents ?? 0) * l.quantity)}</td></tr>`).join('') || '<tr><td class="muted">cart empty</td></tr>'}</table>
    <div class="row"><b>running total ${money(s.totalCents ?? 0)}</b></div>`;
}
canvas.onclick = (ev) => {
  if (!S.layout) return;
  const r = canvas.getBoundingClientRect();
  const x = (ev.clientX - r.left - view.ox) / view.s;
  const y = (ev.clientY - r.top - view.oy) / view.s;
  const box = $('shelf-detail');
  const track = [...S.tracks.values()].find((t) => Math.hypot(t.shownX - x, t.shownY - y) * view.s <= 12);
  if (track) {
    box.hidden = false;
    box.innerHTML = shopperCard(track);
    return;
  }
  const shelf = S.layout.shelves.find(
    (sh) =>
      Math.abs(x - sh.position.x) <= sh.widthM / 2 && Math.abs(y - sh.position.y) <= sh.depthM / 2 + 0.3,
  );
  if (!shelf) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.innerHTML = `<h3>Shelf ${esc(shelf.id)}</h3><table><tr><th>lane</th><th>product</th><th>units</th><th>sensor</th></tr>${shelf.lanes
    .map((l) => {
      const st = S.stock.get(l.id);
      return `<tr><td>${esc(l.id)}</td><td>${esc(l.sku ? name(l.sku) : '—')}${st?.misplaced?.length ? `<br><span class="muted">misplaced: ${st.misplaced.map((m) => `${m.count} × ${esc(name(m.sku))}`).join(', ')}</span>` : ''}</td><td>${st ? `${st.units}/${st.capacity}${st.uncertain ? ' ?' : ''}` : '–'}</td><td>${esc(S.health[shelf.id]?.[l.loadCell] ?? '–')}</td></tr>`;
    })
    .join('')}</table>`;
};
// after floor-frames.js, floor-alerts.js and floor-replay.js have loaded
document.addEventListener('DOMContentLoaded', () => {
  if (S.token && S.user) start().catch(() => signOut());
  else $('login').hidden = false;
});
