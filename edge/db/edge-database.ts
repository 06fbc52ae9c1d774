// The edge's durable state in SQLite (better-sqlite3, WAL, synchronous=FULL): sessions, shelf events, used entry tokens and
// the outbox. Opened once per edge process; migrations run at open.
import Database from 'better-sqlite3';

export type EdgeDatabase = Database.Database;

const migrations: string[] = [
  `CREATE TABLE sessions (
     session_id TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     party INTEGER NOT NULL,
     entry_gate TEXT NOT NULL,
     entered_at REAL NOT NULL,
     exit_gate TEXT,
     exited_at REAL,
     status TEXT NOT NULL CHECK (status IN ('open', 'closing', 'closed'))
   );
   CREATE INDEX sessions_open ON sessions (status) WHERE status != 'closed';
   CREATE TABLE shelf_events (
     event_id TEXT PRIMARY KEY,
     session_id TEXT,
     start_ts REAL NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX shelf_events_session ON shelf_events (session_id, start_ts);
   CREATE TABLE used_tokens (
     jti TEXT PRIMARY KEY,
     expires_at REAL NOT NULL
   );
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at REAL NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at REAL NOT NULL,
     delivered_at REAL,
     failed_at REAL,
     last_error TEXT
   );
   CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;`,
  `CREATE TABLE exceptions (
     exception_id TEXT PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dropped')),
     created_at REAL NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX exceptions_open ON exceptions (status) WHERE status = 'open';
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at REAL NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     subject TEXT NOT NULL,
     details TEXT NOT NULL
   );`,
  `CREATE TABLE lane_stock (
     lane TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     updated_at REAL NOT NULL
   );`,
  // floor view: camera frames kept with a staff exception, and shoppers' tracks for visit replay
  `CREATE TABLE exception_frames (
     frame_id INTEGER PRIMARY KEY AUTOINCREMENT,
     exception_id TEXT NOT NULL,
     camera TEXT NOT NULL,
     capture_ts REAL NOT NULL,
     jpeg BLOB NOT NULL,
     stored_at REAL NOT NULL,
     UNIQUE (exception_id, camera, capture_ts)
   );
   CREATE INDEX exception_frames_stored ON exception_frames (stored_at);
   CREATE TABLE visit_tracks (
     session_id TEXT NOT NULL,
     track_id TEXT NOT NULL,
     ts REAL NOT NULL,
     x REAL NOT NULL,
     y REAL NOT NULL,
     PRIMARY KEY (session_id, track_id, ts)
   ) WITHOUT ROWID;
   CREATE INDEX visit_tracks_ts ON visit_tracks (ts);`,
  // the entry token a session was opened on: the visit upload names it and the cloud bills on it
  'ALTER TABLE sessions ADD COLUMN entry_token_id TEXT;',
  // #15: a visit the cloud would not take because of the link (a rotated credential) waits, held, for an
  // operator; delivered rows are pruned by age, so they are found by delivered_at
  `ALTER TABLE outbox ADD COLUMN held_at REAL;
   CREATE INDEX outbox_held ON outbox (id) WHERE held_at IS NOT NULL AND delivered_at IS NULL AND failed_at IS NULL;
   CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
   CREATE INDEX sessions_closed ON sessions (exited_at) WHERE status = 'closed';
   CREATE INDEX shelf_events_start ON shelf_events (start_ts);
   CREATE INDEX audit_log_at ON audit_log (at);
   CREATE INDEX exceptions_created ON exceptions (created_at) WHERE status != 'open';`,
  // each lane's settled level at the last quiet moment: after a restart, a change the edge missed (#15)
  `CREATE TABLE lane_levels (
     lane TEXT PRIMARY KEY,
     grams REAL NOT NULL,
     ts REAL NOT NULL
   );`,
  // #19: the shopper's consent to behaviour (entry token claim, default off); the floor heat per lane and hour,
  // from tracks with no session or account attached
  `ALTER TABLE sessions ADD COLUMN behaviour_consent INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE floor_heat (
     hour REAL NOT NULL,
     lane TEXT NOT NULL,
     dwell_ms REAL NOT NULL DEFAULT 0,
     looks INTEGER NOT NULL DEFAULT 0,
     picks INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (hour, lane)
   );`,
  // #17 (v11 once the other #17 migrations are in: it only adds tables): each camera's homography as a
  // supervisor calibrated it on the floor view; every staff decision kept with its frames as training data
  `CREATE TABLE camera_calibrations (
     camera TEXT PRIMARY KEY,
     homography TEXT NOT NULL,
     rms_error_m REAL NOT NULL,
     max_error_m REAL NOT NULL,
     points TEXT NOT NULL,
     calibrated_by TEXT NOT NULL,
     calibrated_at REAL NOT NULL
   );
   CREATE TABLE decision_samples (
     sample_id INTEGER PRIMARY KEY AUTOINCREMENT,
     exception_id TEXT NOT NULL UNIQUE,
     decided_at REAL NOT NULL,
     answer TEXT NOT NULL
   );
   CREATE INDEX decision_samples_decided ON decision_samples (decided_at);
   CREATE TABLE decision_frames (
     sample_id INTEGER NOT NULL REFERENCES decision_samples (sample_id) ON DELETE CASCADE,
     camera TEXT NOT NULL,
     capture_ts REAL NOT NULL,
     jpeg BLOB NOT NULL,
     people TEXT NOT NULL,
     PRIMARY KEY (sample_id, camera, capture_ts)
   );`,
  // #17: where the edge's pulls from the cloud stopped (one row per pull: the granted disputes' cursor)
  `CREATE TABLE cloud_cursors (
     name TEXT PRIMARY KEY,
     cursor TEXT NOT NULL,
     updated_at REAL NOT NULL
   );`,
  // #17: the clip of every pick the edge attributed by itself (its frames are in exception_frames under
  // clip_id), so a dispute granted on the line becomes training data; bounded by age and total bytes
  `CREATE TABLE pick_clips (
     clip_id TEXT PRIMARY KEY,
     event_id TEXT NOT NULL,
     session_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     lanes TEXT NOT NULL,
     stored_at REAL NOT NULL,
     frames INTEGER NOT NULL,
     bytes INTEGER NOT NULL
   );
   CREATE INDEX pick_clips_event ON pick_clips (event_id);
   CREATE INDEX pick_clips_stored ON pick_clips (stored_at);`,
  // #13: since when the cloud has answered "not yet" for an item (a return waiting for its receipt): a return
  // that waited past its bound is set aside for staff; an operator's retry starts the wait again
  'ALTER TABLE outbox ADD COLUMN not_ready_since REAL;',
];

/** Opens (and migrates) the edge database; ':memory:' for tests. */
export function openEdgeDatabase(path: string): EdgeDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it returns, so a visit queued for billing survives power loss (NORMAL in
  // WAL mode may lose the last commits); the edge commits a few rows a second, far below the fsync budget
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // the edge and `npm run outbox` may write at once: the second waits for the first instead of failing
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  migrations.forEach((sql, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        new Date().toISOString(),
      );
    })();
  });
  return db;
}
