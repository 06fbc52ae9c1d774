// @ts-check
// Alerts: how each looks (a title, also for kinds this page does not know yet, the colour of its severity,
// the extra fields it carries), the Alerts panel with acknowledgement, and how they sound: critical ones
// two urgent tones and a reminder every 15 s until someone acknowledges them, warnings one tone.
/** @import { FloorAlert, FloorMessage } from '../../../shared/floor-messages.ts' */
/** @import { Alert } from '../../../shared/schemas/alert.ts' */
import { acknowledgeAlert } from './floor-api.js';
import { h } from './floor-dom.js';
import { time } from './floor-format.js';
import { soundPlayed } from './floor-metrics.js';
import { acknowledged, activeAlerts } from './floor-store.js';

/** @typedef {Alert['severity']} Severity */

/** @type {Partial<Record<string, string>>} by alert kind */
const TITLES = {
  'low-stock': 'Low stock',
  'misplaced-item': 'Misplaced item',
  'sensor-health': 'Shelf sensor',
  'unattributed-event': 'Pick nobody could be matched to',
  'doubtful-event': 'Doubtful line',
  'device-offline': 'Device offline',
  tailgating: 'Tailgating at the gate',
  'cloud-link': 'Cloud link refused',
  'id-check': 'Check ID',
  'refund-owed': 'Refund owed by hand',
};
/** Fields every alert has; any other is shown as a detail. */
const COMMON_FIELDS = new Set(['v', 'alertId', 'kind', 'state', 'severity', 'message', 'ts', 'acknowledged']);
/** At most one sound this often (ms), so a burst does not drown the room. */
const SOUND_GAP_MS = 2000;
/** A critical alert nobody acknowledged sounds again after this long (ms). */
const REMINDER_MS = 15_000;

/** @param {Alert} a */
function alertTitle(a) {
  if (a.alertId.startsWith('unresolved-exit:')) return 'Shopper left with an undecided line';
  const known = TITLES[a.kind];
  if (known) return known;
  const words = String(a.kind ?? 'alert').replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Text and number fields beyond the common ones (shelf, lane, load cell…), as `name value · …`.
 * @param {Alert} a
 */
function alertDetails(a) {
  return Object.entries(a)
    .filter(([k, v]) => !COMMON_FIELDS.has(k) && (typeof v === 'string' || typeof v === 'number'))
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

/**
 * An edge newer than this page may send another severity: it is shown as a warning.
 * @param {Alert} a
 * @returns {Severity}
 */
function alertSeverity(a) {
  return ['critical', 'warning', 'info'].includes(a.severity) ? a.severity : 'warning';
}

// ---- sound ----

/** @type {AudioContext | undefined} */
let audio;
let lastSound = 0;

/**
 * @param {AudioContext} context
 * @param {number} freq Hz
 * @param {number} at s from now
 * @param {number} length s
 */
function tone(context, freq, at, length) {
  const o = context.createOscillator();
  const g = context.createGain();
  o.frequency.value = freq;
  g.gain.value = 0.06;
  o.connect(g).connect(context.destination);
  o.start(context.currentTime + at);
  o.stop(context.currentTime + at + length);
}

/** @param {Severity} severity */
function alarm(severity) {
  if (severity === 'info' || Date.now() - lastSound < SOUND_GAP_MS) return;
  lastSound = Date.now();
  soundPlayed();
  try {
    audio ??= new AudioContext();
    if (severity === 'critical') {
      tone(audio, 988, 0, 0.14);
      tone(audio, 740, 0.18, 0.14);
      tone(audio, 988, 0.36, 0.14);
    } else tone(audio, 880, 0, 0.15);
  } catch {
    // no sound device: the panel still shows it
  }
}

/** Sounds what a live message calls for: a new exception, or an alert raised. @param {FloorMessage} msg */
export function announce(msg) {
  if (msg.type === 'exception') alarm('warning');
  if (msg.type === 'alert' && 'kind' in msg.data && msg.data.state !== 'cleared')
    alarm(alertSeverity(msg.data));
}

/** Marks the Alerts tab and sounds a reminder while a critical alert waits for someone. */
export function startAlertReminders() {
  window.setInterval(() => {
    const waiting = activeAlerts().filter((a) => alertSeverity(a) === 'critical' && !a.acknowledged).length;
    document.querySelector('#tabs button[data-tab="alerts"]')?.classList.toggle('alarm', waiting > 0);
    if (waiting > 0 && Date.now() - lastSound > REMINDER_MS) alarm('critical');
  }, 1000);
}

// ---- panel ----

/** @param {FloorAlert} a */
function alertCard(a) {
  const severity = alertSeverity(a);
  const details = alertDetails(a);
  return h(
    'div',
    { class: `card ${severity}${a.acknowledged ? ' seen' : ''}`, 'data-a': a.alertId, 'data-kind': a.kind },
    h('h3', {}, alertTitle(a), ' ', h('span', { class: 'sev' }, severity)),
    h('div', {}, a.message),
    h(
      'div',
      { class: 'meta' },
      time(a.ts),
      details ? ` · ${details}` : '',
      a.acknowledged ? ` · seen by ${a.acknowledged.by}` : '',
    ),
    a.acknowledged
      ? null
      : h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', class: 'ghost a-ack', onclick: () => acknowledge(a.alertId) },
            'Acknowledge',
          ),
        ),
  );
}

/** @param {string} alertId */
async function acknowledge(alertId) {
  acknowledged(alertId, await acknowledgeAlert(alertId));
}

/** @param {HTMLElement} panel */
export function renderAlerts(panel) {
  const alerts = activeAlerts().sort((a, b) => b.ts - a.ts);
  panel.replaceChildren(
    ...(alerts.length ? alerts.map(alertCard) : [h('p', { class: 'muted' }, 'No alerts.')]),
  );
}
