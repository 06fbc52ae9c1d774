// Floor view: how alerts look and sound. Every kind gets a title (unknown kinds a readable one from their
// name), the colour of its severity, any extra fields it carries, and a sound: critical ones two urgent
// tones and a reminder every 15 s until someone acknowledges them, warnings one tone. Uses floor.js's S.

const ALERT_TITLES = {
  'low-stock': 'Low stock',
  'misplaced-item': 'Misplaced item',
  'sensor-health': 'Shelf sensor',
  'unattributed-event': 'Pick nobody could be matched to',
  'doubtful-event': 'Doubtful line',
  'device-offline': 'Device offline',
  tailgating: 'Tailgating at the gate',
};
/** Fields every alert has; any other is shown as a detail. */
const ALERT_FIELDS = new Set(['v', 'alertId', 'kind', 'state', 'severity', 'message', 'ts', 'acknowledged']);

function alertTitle(a) {
  if (String(a.alertId).startsWith('unresolved-exit:')) return 'Shopper left with an undecided line';
  const known = ALERT_TITLES[a.kind];
  if (known) return known;
  const words = String(a.kind ?? 'alert').replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function alertDetails(a) {
  return Object.entries(a)
    .filter(([k, v]) => !ALERT_FIELDS.has(k) && (typeof v === 'string' || typeof v === 'number'))
    .map(([k, v]) => `${esc(k)} ${esc(v)}`)
    .join(' · ');
}

function alertSeverity(a) {
  return ['critical', 'warning', 'info'].includes(a.severity) ? a.severity : 'warning';
}

let audio;
let lastSound = 0;
function tone(freq, at, length) {
  const o = audio.createOscillator();
  const g = audio.createGain();
  o.frequency.value = freq;
  g.gain.value = 0.06;
  o.connect(g).connect(audio.destination);
  o.start(audio.currentTime + at);
  o.stop(audio.currentTime + at + length);
}
/** A sound for the severity, at most one every 2 s so a burst does not drown the room. */
function alarm(severity) {
  if (severity === 'info' || Date.now() - lastSound < 2000) return;
  lastSound = Date.now();
  window.__floor.sounds = (window.__floor.sounds ?? 0) + 1;
  try {
    audio ??= new AudioContext();
    if (severity === 'critical') {
      tone(988, 0, 0.14);
      tone(740, 0.18, 0.14);
      tone(988, 0.36, 0.14);
    } else tone(880, 0, 0.15);
  } catch {
    /* no sound device */
  }
}
function unacknowledgedCritical() {
  return [...S.alerts.values()].filter((a) => alertSeverity(a) === 'critical' && !a.acknowledged).length;
}
setInterval(() => {
  const waiting = unacknowledgedCritical();
  document.querySelector('#tabs button[data-tab="alerts"]')?.classList.toggle('alarm', waiting > 0);
  if (waiting > 0 && Date.now() - lastSound > 15_000) alarm('critical');
}, 1000);

window.floorAlerts = { title: alertTitle, details: alertDetails, severity: alertSeverity, alarm };
