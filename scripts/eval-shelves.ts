// npm run eval:shelves [-- --json] [--seeds N] [--situation NAME]: every shelf situation × seeds × noise
// profiles through the shelf stage, scored against ground truth. `--recording <dir> [--mqtt URL]` replays a
// recording over MQTT into a real Edge instead; `--calibrate <dir>` measures a recording's noise.

import { evaluateRecording } from '../evaluation/recordings/evaluate-recording.ts';
import { evaluateSituations, pct } from '../evaluation/shelf-eval/evaluate-situations.ts';
import { measureRecordingNoise } from '../evaluation/shelf-eval/noise-calibration.ts';
import type { Summary } from '../evaluation/shelf-eval/score-shelf-events.ts';
import { SITUATION_NAMES } from '../evaluation/shelf-eval/situations.ts';
import { NOISE_PROFILES } from '../simulators/devices/noise-profiles.ts';
import { commandLine } from './cli/command-line.ts';
import { BROKER_SCHEMES } from './cli/url-option.ts';

const USAGE = `usage: npm run eval:shelves -- [--json] [--seeds N] [--situation NAME]
       npm run eval:shelves -- --recording <dir> [--mqtt URL] [--speed N] [--json]
       npm run eval:shelves -- --calibrate <dir> [--json]
  --seeds N           seeds per situation and noise profile (default 5)
  --situation NAME    only this situation (evaluation/shelf-eval/situations.ts; default all of them)
  --recording <dir>   replays a recording over MQTT into a real Edge and scores it against its annotations
  --mqtt URL          with --recording, this broker instead of an embedded one
  --speed N           with --recording, times real time (default 8)
  --calibrate <dir>   measures a recording's noise beside the simulator's noise profiles
  --json              last line: one JSON object`;

const cli = commandLine({
  command: 'eval:shelves',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '5' },
    situation: { type: 'string' },
    recording: { type: 'string' },
    mqtt: { type: 'string' },
    speed: { type: 'string', default: '8' },
    calibrate: { type: 'string' },
  },
});
const { json } = cli.values;
const seedCount = cli.integer('seeds', { min: 1 });
const speed = cli.positiveNumber('speed');
const situation = cli.values.situation;
if (situation !== undefined && !SITUATION_NAMES.includes(situation))
  cli.fail(`--situation ${situation} is not one of ${SITUATION_NAMES.join(', ')}`);
const say = (line: string) => console.log(line);

async function main(): Promise<number> {
  const { calibrate, recording } = cli.values;
  if (calibrate !== undefined) printCalibration(calibrate);
  else if (recording !== undefined) await printRecordingScore(recording);
  else printSituationScores();
  return 0;
}

/** --calibrate: a recording's noise beside the simulator's noise profiles. */
function printCalibration(calibrate: string): void {
  const noise = measureRecordingNoise(calibrate);
  say(`${noise.plates} plates, sd over 0.5 s windows per plate (grams):`);
  say(
    `  median ${noise.windowSd.p50}  p90 ${noise.windowSd.p90}  p95 ${noise.windowSd.p95}  p99 ${noise.windowSd.p99}`,
  );
  say(
    `  shelf sums: median ${noise.shelfSumSd.p50}  p95 ${noise.shelfSumSd.p95}; constant plates ${noise.constantPlates}`,
  );
  for (const [name, p] of Object.entries(NOISE_PROFILES)) {
    say(
      `  profile ${name.padEnd(8)} per-sample sd ${Math.hypot(p.whiteSdGrams, 'vibrationSdGrams' in p ? p.vibrationSdGrams : 0).toFixed(1)} g`,
    );
  }
  if (json) say(JSON.stringify({ calibration: noise }));
}

/** --recording: a real recording replayed over MQTT into an Edge, scored against its annotations. */
async function printRecordingScore(recording: string): Promise<void> {
  const mqttUrl = cli.url('mqtt', BROKER_SCHEMES);
  const result = await evaluateRecording(recording, {
    ...(mqttUrl === undefined ? {} : { mqttUrl }),
    speed,
    onProgress: say,
  });
  const { score } = result;
  say('');
  say(`${result.name}: ${result.plates} plates, ${result.batches} batches, ${result.durationS.toFixed(1)} s`);
  say(
    `  true positives ${score.truePositives}  false positives ${score.falsePositives}  missed ${score.missed}`,
  );
  say(`  product and count correct ${score.productCorrect} of ${score.truePositives}`);
  for (const m of score.matches)
    say(`  ${m.truth.kind} ${m.truth.sku} × ${m.truth.count} → ${m.eventId ?? 'MISSED'}`);
  for (const u of score.unmatched) say(`  unmatched ${u.kind} ${u.lanes.join(',')} ${u.deltaGrams} g`);
  if (json) {
    const { truePositives, falsePositives, missed, productCorrect } = score;
    say(
      JSON.stringify({
        recording: { name: result.name, truePositives, falsePositives, missed, productCorrect },
      }),
    );
  }
}

/** The default: every situation × seeds × noise profile through the shelf stage. */
function printSituationScores(): void {
  const result = evaluateSituations({
    seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
    profiles: ['standard', 'noisy'],
    ...(situation === undefined ? {} : { situations: [situation] }),
    onProgress: say,
  });
  say('');
  const header = `${'profile / situation'.padEnd(36)} ${'events'.padStart(6)} ${'prec'.padStart(7)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'product'.padStart(7)} ${'ambig'.padStart(9)} ${'wrong!'.padStart(6)} ${'start p50/p95'.padStart(14)} ${'end p50/p95'.padStart(12)}`;
  say(header);
  const row = (name: string, s: Summary) =>
    say(
      `${name.padEnd(36)} ${String(s.events).padStart(6)} ${pct(s.eventPrecision)} ${pct(s.eventRecall)} ${pct(s.eventF1)} ${pct(s.productAccuracy)} ${`${s.ambiguousEvents ? pct(s.ambiguousReported) : '    –'}`.padStart(9)} ${String(s.wrongButConfident).padStart(6)} ${`${s.startErrorMs.p50}/${s.startErrorMs.p95}`.padStart(14)} ${`${s.endErrorMs.p50}/${s.endErrorMs.p95}`.padStart(12)}`,
    );
  for (const [profile, summary] of Object.entries(result.profiles)) {
    for (const [name, s] of Object.entries(summary.situations)) row(`${profile} ${name}`, s);
    row(`${profile} (all)`, summary);
  }
  row('overall', result.overall);
  say(
    `${result.runs} runs, ${(result.samples / 1e6).toFixed(1)} M samples in ${(result.wallMs / 1000).toFixed(1)} s; targets: F1 ≥ 99.5 % standard, ≥ 98 % noisy; every ambiguous event reported (ambig 100 %, wrong! 0)`,
  );
  for (const m of result.mismatches.slice(0, 20)) {
    const t = m.truth ? `${m.truth.kind} ${m.truth.lane} ${m.truth.sku}×${m.truth.count}` : '';
    const e = m.event ? `${m.event.kind} ${m.event.lanes.join(',')} ${m.event.deltaGrams} g` : '';
    say(`  ${m.profile} ${m.situation} seed ${m.seed}: ${m.what} ${t} ${e}`);
  }
  if (json) {
    const strip = ({ situations, ...rest }: Summary & { situations: Record<string, Summary> }) => ({
      ...rest,
      situations,
    });
    say(
      JSON.stringify({
        overall: result.overall,
        profiles: Object.fromEntries(Object.entries(result.profiles).map(([k, v]) => [k, strip(v)])),
        runs: result.runs,
        samples: result.samples,
        wallMs: result.wallMs,
      }),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
