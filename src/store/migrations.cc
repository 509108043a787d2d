#include "store/migrations.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "store/feed_repositories.h"
#include "store/postgresql_schema.h"

namespace baken::store {

namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE members (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('gemeente', 'samenwerkingsverband', 'partner')),
  joined TEXT,
  data_confirmed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE member_joint_bodies (
  member_code TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
  body_code TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (member_code, body_code)
) STRICT;

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  roles TEXT NOT NULL,          -- comma-separated role names
  language TEXT NOT NULL CHECK (language IN ('nl', 'en'))
) STRICT;
CREATE INDEX contacts_member ON contacts (member_code);

-- Netblocks, AS numbers and domains: what routing decides on. One value belongs to at most one
-- member once approved (the partial unique index), but several members may ask for it.
CREATE TABLE claims (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('netblock', 'asn', 'domain')),
  value TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT,
  UNIQUE (member_code, kind, value)
) STRICT;
CREATE UNIQUE INDEX claims_one_owner ON claims (kind, value) WHERE state = 'approved';
CREATE INDEX claims_state ON claims (state);

CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  version TEXT NOT NULL,
  cpe TEXT,
  purl TEXT,
  criticality TEXT NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
  internet_facing INTEGER NOT NULL CHECK (internet_facing IN (0, 1)),
  UNIQUE (member_code, name)
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'member')),
  member_code TEXT REFERENCES members (code),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((role = 'member') = (member_code IS NOT NULL))
) STRICT;

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
)sql"},
    {2, R"sql(
-- Feeds: every event kept (routed or not), once per dedup key; digests collect a member's new
-- events for one notification; the outbox holds the messages made from them.
CREATE TABLE digests (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL,
  feed_name TEXT NOT NULL,
  tlp TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  period TEXT NOT NULL,
  not_before TEXT NOT NULL,
  open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
  created_at TEXT NOT NULL,
  closed_at TEXT,
  UNIQUE (member_code, feed_name, tlp, period)
) STRICT;
CREATE INDEX digests_open ON digests (not_before) WHERE open = 1;

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  member_code TEXT,
  route_reason TEXT,
  route_match TEXT,
  feed_name TEXT NOT NULL,
  classification_type TEXT,
  classification_identifier TEXT,
  source_ip TEXT,
  source_port INTEGER,
  time_source TEXT,
  time_observation TEXT NOT NULL,
  tlp TEXT NOT NULL,
  digest_id INTEGER REFERENCES digests (id),
  data TEXT NOT NULL
) STRICT;
CREATE INDEX events_member ON events (member_code, id);
CREATE INDEX events_digest ON events (digest_id) WHERE digest_id IS NOT NULL;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  digest_id INTEGER NOT NULL REFERENCES digests (id),
  member_code TEXT NOT NULL,
  feed_name TEXT NOT NULL,
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_state ON outbox (state, id);
)sql"},
    {3, R"sql(
-- Events are kept in compressed blocks, one per member, feed, TLP level and digest per ingest
-- batch, and the dedup keys as 128-bit hashes in their own index
-- (docs/decisions/0006-event-blocks.md). The rows of the old events table are moved by
-- MoveEventsIntoBlocks, which runs after this.
CREATE TABLE event_blocks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so event ids only grow
  member_code TEXT,                      -- null: unrouted
  feed_name TEXT NOT NULL,
  tlp TEXT NOT NULL,
  digest_id INTEGER REFERENCES digests (id),
  event_count INTEGER NOT NULL CHECK (event_count > 0),
  first_observation TEXT NOT NULL,
  last_observation TEXT NOT NULL,
  encoding TEXT NOT NULL CHECK (encoding IN ('zstd-records-1'))
) STRICT;
CREATE INDEX event_blocks_member ON event_blocks (member_code, id);
CREATE INDEX event_blocks_digest ON event_blocks (digest_id) WHERE digest_id IS NOT NULL;
CREATE INDEX event_blocks_observed ON event_blocks (last_observation);

-- Apart from the block list, so that scanning the list does not read the data.
CREATE TABLE event_block_data (
  block_id INTEGER PRIMARY KEY REFERENCES event_blocks (id),
  data BLOB NOT NULL
) STRICT;

CREATE TABLE event_keys (
  hash BLOB PRIMARY KEY CHECK (length(hash) = 16)
) STRICT, WITHOUT ROWID;
)sql",
     &MoveEventsIntoBlocks},
    {4, R"sql(
-- Advisories as received; the current revision of each, and the ones it replaced.
CREATE TABLE advisories (
  id INTEGER PRIMARY KEY,
  publisher_namespace TEXT NOT NULL,
  tracking_id TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csaf', 'cve')),
  version TEXT NOT NULL,
  current_release TEXT NOT NULL,
  title TEXT NOT NULL,
  tlp TEXT CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  sha256 TEXT NOT NULL,
  document BLOB NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (publisher_namespace, tracking_id)
) STRICT;
CREATE INDEX advisories_tracking_id ON advisories (tracking_id);

CREATE TABLE advisory_revisions (
  id INTEGER PRIMARY KEY,
  advisory_id INTEGER NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  current_release TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  document BLOB NOT NULL,
  imported_at TEXT NOT NULL,
  replaced_at TEXT NOT NULL
) STRICT;
CREATE INDEX advisory_revisions_advisory ON advisory_revisions (advisory_id);
)sql"},
    {5, R"sql(
-- Vulnerability warnings go through the same outbox as feed digests: a message now comes from
-- a digest or from an advisory. SQLite cannot relax NOT NULL in place, so the table is rebuilt.
CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY,
  digest_id INTEGER REFERENCES digests (id),
  advisory_id INTEGER REFERENCES advisories (id),
  member_code TEXT NOT NULL,
  feed_name TEXT NOT NULL,      -- the feed, or for a warning the advisory's id
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count INTEGER NOT NULL,
  CHECK ((digest_id IS NULL) <> (advisory_id IS NULL))
) STRICT;
INSERT INTO outbox_new (id, digest_id, advisory_id, member_code, feed_name, tlp, language,
  recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at, created_at,
  updated_at, sent_at, event_count)
  SELECT id, digest_id, NULL, member_code, feed_name, tlp, language, recipients, subject,
    message_id, mime, state, reason, attempts, next_attempt_at, created_at, updated_at, sent_at,
    event_count FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);

-- What each member was last warned of per advisory, to warn again only when it changes.
CREATE TABLE advisory_findings (
  member_code TEXT NOT NULL,
  advisory_id INTEGER NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  asset TEXT NOT NULL,
  product_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('affected', 'unknown')),
  risk TEXT NOT NULL,
  cves TEXT NOT NULL,           -- JSON array
  remediations TEXT NOT NULL,   -- JSON array
  PRIMARY KEY (member_code, advisory_id, asset, product_id)
) STRICT;

-- The revision (by its SHA-256) whose warnings have been planned.
ALTER TABLE advisories ADD COLUMN warned_sha256 TEXT;
)sql"},
    {6, R"sql(
-- Where `baken advisory sync` stopped, per listing (a ROLIE feed or a directory's changes.csv):
-- the newest update time it has worked through.
CREATE TABLE advisory_sync_cursors (
  listing_url TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,          -- "YYYY-MM-DDTHH:MM:SS.ffffffZ"
  synced_at TEXT NOT NULL
) STRICT;
-- The documents of a listing seen near the cursor, per update time: fetched ('done'), to be
-- tried again ('retry'), or given up after too many attempts.
CREATE TABLE advisory_sync_documents (
  listing_url TEXT NOT NULL,
  document_url TEXT NOT NULL,
  updated TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('done', 'retry', 'given_up')),
  attempts INTEGER NOT NULL,
  last_error TEXT,
  PRIMARY KEY (listing_url, document_url, updated)
) STRICT;
)sql"},
    {7, R"sql(
-- Who takes vulnerability warnings, per contact: NULL is the default (trusted contacts do),
-- 1 yes, 0 no.
ALTER TABLE contacts ADD COLUMN warnings INTEGER CHECK (warnings IN (0, 1));

-- Each warning issued to a member: a first warning about an advisory, or a revision that made
-- it worse. What a member's users see (GET /api/v1/warnings) and the weekly overview lists.
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL,
  advisory_id INTEGER NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  tracking_id TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  tlp TEXT NOT NULL,
  risk TEXT NOT NULL,           -- the highest over the member's rows
  affected INTEGER NOT NULL,    -- assets affected
  unknown INTEGER NOT NULL,     -- assets whose version must be checked
  revised INTEGER NOT NULL CHECK (revised IN (0, 1)),
  changes TEXT NOT NULL,        -- JSON array: what got worse, for a revision
  issued_at TEXT NOT NULL
) STRICT;
CREATE INDEX warnings_member ON warnings (member_code, issued_at);
-- The warnings planned before this table existed (sent or not), one per member and advisory,
-- with the strictest TLP any of its messages had.
INSERT INTO warnings (member_code, advisory_id, tracking_id, version, title, tlp, risk,
  affected, unknown, revised, changes, issued_at)
  SELECT o.member_code, o.advisory_id, a.tracking_id, a.version, a.title,
    CASE MAX(CASE o.tlp WHEN 'RED' THEN 3 WHEN 'AMBER+STRICT' THEN 2 ELSE 1 END)
      WHEN 3 THEN 'RED' WHEN 2 THEN 'AMBER+STRICT' ELSE 'AMBER' END,
    COALESCE((SELECT f.risk FROM advisory_findings f
              WHERE f.member_code = o.member_code AND f.advisory_id = o.advisory_id
              ORDER BY CASE f.risk WHEN 'Urgent' THEN 0 WHEN 'Hoog' THEN 1
                                   WHEN 'Normaal' THEN 2 ELSE 3 END LIMIT 1), 'Normaal'),
    (SELECT COUNT(*) FROM advisory_findings f WHERE f.member_code = o.member_code
       AND f.advisory_id = o.advisory_id AND f.outcome = 'affected'),
    (SELECT COUNT(*) FROM advisory_findings f WHERE f.member_code = o.member_code
       AND f.advisory_id = o.advisory_id AND f.outcome = 'unknown'),
    0, '[]', MIN(o.created_at)
  FROM outbox o JOIN advisories a ON a.id = o.advisory_id
  WHERE o.advisory_id IS NOT NULL
  GROUP BY o.member_code, o.advisory_id;

-- The weekly overview of a member's warnings, one per member and ISO week ("2026-W47").
CREATE TABLE warning_overviews (
  id INTEGER PRIMARY KEY,
  member_code TEXT NOT NULL,
  week TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (member_code, week)
) STRICT;

-- A message now comes from a digest, a warning or a weekly overview. SQLite cannot change a
-- CHECK in place, so the table is rebuilt.
CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY,
  digest_id INTEGER REFERENCES digests (id),
  advisory_id INTEGER REFERENCES advisories (id),
  overview_id INTEGER REFERENCES warning_overviews (id),
  member_code TEXT NOT NULL,
  feed_name TEXT NOT NULL,      -- the feed; for a warning the advisory's id; for an overview the week
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count INTEGER NOT NULL,
  CHECK ((digest_id IS NOT NULL) + (advisory_id IS NOT NULL) + (overview_id IS NOT NULL) = 1)
) STRICT;
INSERT INTO outbox_new (id, digest_id, advisory_id, overview_id, member_code, feed_name, tlp,
  language, recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at,
  created_at, updated_at, sent_at, event_count)
  SELECT id, digest_id, advisory_id, NULL, member_code, feed_name, tlp, language, recipients,
    subject, message_id, mime, state, reason, attempts, next_attempt_at, created_at,
    updated_at, sent_at, event_count FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);
)sql"},
    {8, R"sql(
-- Signing in to the portal (decision 0009): failed attempts per user and the lock they lead
-- to, and the sessions a signed-in browser holds (only a hash of the cookie is kept).
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
)sql"},
    {9, R"sql(
-- The second factor a user can turn on (RFC 6238 TOTP): the secret in use, the one offered
-- until the user confirms a first code, and the last time step a code was accepted for, so
-- that no code is accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
)sql"},
    {10, R"sql(
-- Issue 12 (decision 0009, "Hardening"). API tokens get a label, an expiry and a way to be
-- revoked (the row is deleted; the audit log remembers). Tokens made before this migration
-- expire a year after they were made, but no sooner than 30 days from now, so that no script
-- stops without warning on the day of the upgrade.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = max(
  strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+365 days'),
  strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+30 days'));
CREATE INDEX api_tokens_user ON api_tokens (user_id);
-- Failed sign-ins are counted per account and source address, so that guessing from one place
-- locks out that place only and never the real user elsewhere; the account-wide counter goes.
CREATE TABLE sign_in_failures (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  source TEXT NOT NULL,          -- an IPv4 address or an IPv6 /64 (auth::SourceKey)
  failures INTEGER NOT NULL,     -- since the last success from this source
  last_failure_at TEXT NOT NULL,
  locked_until TEXT,             -- nothing from this source acts as this account before then
  PRIMARY KEY (user_id, source)
) STRICT;
ALTER TABLE users DROP COLUMN failed_sign_ins;
ALTER TABLE users DROP COLUMN locked_until;
-- An analyst's account-wide stop (`baken user disable`): no sign-in, session or token works.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
)sql"},
    {11, R"sql(
-- Issue 13 (decision 0013). Why a message is held, failed or was released, as a code of the
-- translation table and its values (a JSON object), so that the portal says it in the reader's
-- language; `reason` keeps the English sentence. Messages from before have no code.
ALTER TABLE outbox ADD COLUMN reason_code TEXT;
ALTER TABLE outbox ADD COLUMN reason_params TEXT;
)sql"},
    {12, R"sql(
-- Issue 13 ("What members asked for"). What the member did about a warning: open until one of
-- its users (or an analyst) marks it handled or not applicable, with who, when and why. Kept per
-- warning: a revision that makes things worse is a new warning, open again.
ALTER TABLE warnings ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
  CHECK (state IN ('open', 'handled', 'not_applicable'));
ALTER TABLE warnings ADD COLUMN state_by TEXT;
ALTER TABLE warnings ADD COLUMN state_at TEXT;
ALTER TABLE warnings ADD COLUMN state_note TEXT;
CREATE INDEX warnings_state ON warnings (state, issued_at);
)sql"},
    {13, R"sql(
-- Issue 13. A user's own sessions, listed so that one can be ended: where it was started from
-- (auth::SourceKey), and when it was last used (updated at most once a minute, so that reading
-- pages does not write on every request).
ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_used_at TEXT;
CREATE INDEX sessions_user ON sessions (user_id);
)sql"},
    {14, R"sql(
-- Issue 13. A contact's phone number, for a call (on-call duty later): E.164, "+31201234567".
ALTER TABLE contacts ADD COLUMN phone TEXT;
)sql"},
    {15, R"sql(
-- Issue 13 (part 7, the overview). Each user's latest portal sign-in and the one before it:
-- "new since your last visit" counts from the previous one, the same in every browser.
CREATE TABLE user_visits (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_sign_in_at TEXT NOT NULL,
  previous_sign_in_at TEXT
) STRICT;
)sql"},
};

// After the outbox was made again with its rows' own ids: PostgreSQL's identity must go on
// after the largest (SQLite's rowid does so by itself).
Status ContinueOutboxIds(sql::Connection& connection) {
  if (connection.engine() == sql::Engine::kSqlite) return {};
  return connection.Execute(
      "SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce(max(id), 0) + 1, false) "
      "FROM outbox");
}

// PostgreSQL tries to compress every value above two kilobytes before storing it apart; a
// block's data is zstd already, so the attempt only cost time (pglz_compress was a twentieth of
// the server's work in an ingest). SQLite never compresses.
Status StoreBlockDataUncompressed(sql::Connection& connection) {
  if (connection.engine() == sql::Engine::kSqlite) return {};
  return connection.Execute("ALTER TABLE event_block_data ALTER COLUMN data SET STORAGE EXTERNAL");
}

// Migrations 16 and later, one text for both engines. Where the DDL of the two must differ, it
// says so with a word in braces (ForEngine): {int} an integer column, {id} an id that the
// database assigns, {blob} bytes, {strict} after a CREATE TABLE's closing parenthesis.
constexpr std::array<Migration, 23> kSharedMigrations{{
    // Work shared between processes (docs/decisions/0017-shared-work.md): one row per unit of
    // work (a spooled feed file, a scheduled job), taken by one worker at a time with a lease;
    // and the lease a worker holds on an outbox message while it delivers it.
    {16, R"sql(
CREATE TABLE work (
  id {id},
  kind TEXT NOT NULL CHECK (kind IN ('ingest', 'job')),
  work_key TEXT NOT NULL,       -- a file: <SHA-256 of its content>/<name>; a job: its name
  payload TEXT NOT NULL,        -- JSON: a file's path in the spool, a job's options
  state TEXT NOT NULL CHECK (state IN ('ready', 'leased', 'done', 'failed')),
  run_after TEXT NOT NULL,      -- not taken before (UTC): a job's next run
  lease_owner TEXT,             -- the worker that holds or last held it
  lease_until TEXT,             -- taken over by another worker after this (UTC)
  attempts {int} NOT NULL,
  last_error TEXT,
  result TEXT,                  -- JSON: what the last run did
  created_at TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (kind, work_key)
){strict};
CREATE INDEX work_claimable ON work (state, run_after);
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
)sql"},
    // Incidents (docs/decisions/0018-incidents.md): the case, a participation per member, the
    // journal, tasks, links and the incident's own history. Nothing is deleted: a duplicate is
    // merged, a task dropped with a reason, a member's participation closed.
    {17, R"sql(
CREATE TABLE incidents (
  id {id},
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('member', 'analyst', 'partner', 'event', 'warning')),
  source_ref TEXT,              -- the event, warning or partner it came from
  reporter TEXT NOT NULL,       -- the actor that opened it
  classification TEXT,          -- RSIT classification and type: both or neither
  type TEXT,
  cause TEXT,
  impact TEXT,
  priority TEXT NOT NULL,
  tlp TEXT NOT NULL,
  coordinator TEXT,             -- an analyst's e-mail address
  state TEXT NOT NULL,
  merged_into {int} REFERENCES incidents (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  CHECK ((classification IS NULL) = (type IS NULL))
){strict};
CREATE INDEX incidents_created ON incidents (created_at);
CREATE TABLE incident_participations (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT NOT NULL REFERENCES members (code),
  title TEXT NOT NULL,          -- what this member sees as the incident's title
  state TEXT NOT NULL,
  breach TEXT NOT NULL CHECK (breach IN ('undecided', 'none', 'breach')),
  named {int} NOT NULL,         -- 1: other participants may see that this member takes part
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  UNIQUE (incident_id, member)
){strict};
CREATE INDEX incident_participations_member ON incident_participations (member);
CREATE TABLE incident_entries (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT,                  -- a participation's entry; NULL: the coordination's
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  text TEXT NOT NULL,
  tlp TEXT NOT NULL,
  released_at TEXT,             -- a coordination entry the participants may read
  released_by TEXT
){strict};
CREATE INDEX incident_entries_incident ON incident_entries (incident_id);
CREATE TABLE incident_tasks (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT,                  -- a participation's task; NULL: the coordination's
  title TEXT NOT NULL,
  owner TEXT,
  due_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'done', 'dropped')),
  reason TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id);
CREATE TABLE incident_links (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  kind TEXT NOT NULL CHECK (kind IN ('event', 'advisory', 'warning', 'incident')),
  target TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  UNIQUE (incident_id, kind, target)
){strict};
CREATE TABLE incident_history (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT,                  -- the participation it concerns
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL          -- JSON
){strict};
CREATE INDEX incident_history_incident ON incident_history (incident_id);
)sql"},
    // A participation's data breach (datalek, GDPR Art. 33 and 34; decision 0018): the moment
    // the member became aware starts the AP's 72 hours; the decisions are columns (the clock
    // and the register read them), the facts of the AP's form one JSON document.
    {18, R"sql(
CREATE TABLE incident_breaches (
  participation_id {int} PRIMARY KEY REFERENCES incident_participations (id),
  aware_at TEXT NOT NULL,       -- T0: when the controller became aware
  deadline_at TEXT NOT NULL,    -- T0 + 72 hours
  details TEXT NOT NULL,        -- JSON: the facts the AP's form asks for
  ap_decision TEXT NOT NULL CHECK (ap_decision IN ('undecided', 'notify', 'no_notify')),
  ap_reason TEXT,
  ap_notified_at TEXT,
  ap_reference TEXT,
  delay_reason TEXT,
  subjects_decision TEXT NOT NULL
    CHECK (subjects_decision IN ('undecided', 'inform', 'no_inform')),
  subjects_reason TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE INDEX incident_breaches_deadline ON incident_breaches (deadline_at);
)sql"},
    // Messages about incidents (a data breach's reminders) go through the outbox like the
    // others: `incident_id` joins the one of digest, advisory and overview a message belongs to.
    // Neither engine can change a CHECK in place the same way, so the table is made again;
    // the reminders planned per breach (each once: the primary key).
    {19, R"sql(
CREATE TABLE outbox_new (
  id {id},
  digest_id {int} REFERENCES digests (id),
  advisory_id {int} REFERENCES advisories (id),
  overview_id {int} REFERENCES warning_overviews (id),
  incident_id {int} REFERENCES incidents (id),
  member_code TEXT NOT NULL,
  feed_name TEXT NOT NULL,      -- the feed; a warning's advisory id; an overview's week
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts {int} NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count {int} NOT NULL,
  reason_code TEXT,
  reason_params TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  CHECK ((CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN advisory_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN overview_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END) = 1)
){strict};
INSERT INTO outbox_new (id, digest_id, advisory_id, overview_id, member_code, feed_name, tlp,
  language, recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at,
  created_at, updated_at, sent_at, event_count, reason_code, reason_params, lease_owner,
  lease_until)
  SELECT id, digest_id, advisory_id, overview_id, member_code, feed_name, tlp, language,
    recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at, created_at,
    updated_at, sent_at, event_count, reason_code, reason_params, lease_owner, lease_until
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);
CREATE TABLE incident_breach_reminders (
  participation_id {int} NOT NULL REFERENCES incident_participations (id),
  kind TEXT NOT NULL CHECK (kind IN ('24h', '48h', '4h', 'overdue')),
  due_at TEXT NOT NULL,
  planned_at TEXT NOT NULL,
  sent {int} NOT NULL,          -- 0: a later reminder was due as well and went instead
  PRIMARY KEY (participation_id, kind)
){strict};
)sql",
     &ContinueOutboxIds},
    // The partner directory (decision 0018): suppliers and chain partners, their contacts, the
    // vendor names of their products in members' inventories, which members say they use
    // them; and the notices to a partner about an incident, which `baken notify` sends.
    {20, R"sql(
CREATE TABLE partners (
  id {id},
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,  -- lower(name): one partner per name, case ignored
  kind TEXT NOT NULL CHECK (kind IN ('supplier', 'chain_partner')),
  description TEXT NOT NULL,
  vendor_names TEXT NOT NULL,   -- JSON array, lower case
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE TABLE partner_contacts (
  partner_id {int} NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  position {int} NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,          -- empty for a number only
  phone TEXT NOT NULL,          -- empty for an address only
  role TEXT NOT NULL CHECK (role IN ('security', 'account_manager', 'oncall')),
  language TEXT NOT NULL,
  PRIMARY KEY (partner_id, position)
){strict};
CREATE TABLE member_partners (
  member TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
  partner_id {int} NOT NULL REFERENCES partners (id),
  source TEXT NOT NULL CHECK (source IN ('analyst', 'member')),
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (member, partner_id, source)
){strict};
CREATE INDEX member_partners_partner ON member_partners (partner_id);
CREATE TABLE partner_notices (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  partner_id {int} NOT NULL REFERENCES partners (id),
  text TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  planned_at TEXT               -- when `baken notify` made its messages
){strict};
)sql"},
    // Evidence kept with an incident (decision 0018): bytes as received, their SHA-256, and who
    // may read them (a participation's, or the coordination's, under a TLP level).
    {21, R"sql(
CREATE TABLE incident_attachments (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT,                  -- a participation's; NULL: the coordination's (staff only)
  name TEXT NOT NULL,           -- the file name as given, for the download
  media_type TEXT NOT NULL,     -- as given; the download is always application/octet-stream
  size {int} NOT NULL,
  sha256 TEXT NOT NULL,
  content {blob} NOT NULL,
  tlp TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
){strict};
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id);
-- What a participant is told by e-mail (a released coordination entry, an entry or a task for
-- its participation): `baken notify` makes the messages, TLP deciding who gets them and
-- whether the text may travel in the e-mail.
CREATE TABLE incident_notices (
  id {id},
  incident_id {int} NOT NULL REFERENCES incidents (id),
  member TEXT NOT NULL REFERENCES members (code),
  kind TEXT NOT NULL CHECK (kind IN ('entry', 'task')),
  text TEXT NOT NULL,
  tlp TEXT NOT NULL,
  created_at TEXT NOT NULL,
  planned_at TEXT
){strict};
CREATE INDEX incident_notices_planned ON incident_notices (planned_at);
)sql"},
    // Which incidents an event or a warning was escalated to: the event's and the warning's
    // pages ask, so that an analyst adds to an incident instead of opening a second one.
    {22, R"sql(
CREATE INDEX incident_links_target ON incident_links (kind, target);
)sql"},
    // A notification to the AP in phases (GDPR Art. 33(4)): what was supplemented or changed
    // later under the same AP reference, and a withdrawal, each with when it was sent and what
    // it said. Kept, never changed: the register shows the whole course.
    {23, R"sql(
CREATE TABLE incident_breach_updates (
  id {id},
  participation_id {int} NOT NULL REFERENCES incident_breaches (participation_id),
  kind TEXT NOT NULL CHECK (kind IN ('supplement', 'change', 'withdrawal')),
  sent_at TEXT NOT NULL,        -- when the AP's form was sent (UTC)
  note TEXT NOT NULL,           -- what was added or changed, or why it was withdrawn
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
){strict};
CREATE INDEX incident_breach_updates_participation
  ON incident_breach_updates (participation_id);
)sql"},
    // Piket rosters (decision 0019): rotations of analysts and overrides; who is on duty is
    // computed (oncall/roster.h). An override is cancelled, never removed.
    {24, R"sql(
CREATE TABLE rotations (
  id {id},
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,  -- lower(name)
  shift TEXT NOT NULL CHECK (shift IN ('daily', 'weekly')),
  handover TEXT NOT NULL,         -- HH:MM, local time in Europe/Amsterdam
  handover_day {int} NOT NULL CHECK (handover_day BETWEEN 1 AND 7),
  start_date TEXT NOT NULL,       -- YYYY-MM-DD
  coverage TEXT NOT NULL CHECK (coverage IN ('always', 'office_hours', 'outside_office_hours')),
  office_start TEXT NOT NULL,
  office_end TEXT NOT NULL,
  holidays {int} NOT NULL,
  participants TEXT NOT NULL,     -- JSON array of staff users' e-mail addresses, in turn
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE TABLE rotation_overrides (
  id {id},
  rotation_id {int} NOT NULL REFERENCES rotations (id),
  person TEXT NOT NULL,
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  cancelled_at TEXT,
  cancelled_by TEXT
){strict};
CREATE INDEX rotation_overrides_span ON rotation_overrides (end_at, start_at);
)sql"},
    // Scheduled jobs' runs (decision 0019): one row per run, as the process that ran it
    // recorded it; a run whose process stopped is marked interrupted by the next holder.
    {25, R"sql(
CREATE TABLE job_runs (
  id {id},
  job TEXT NOT NULL,
  holder TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('running', 'ok', 'failed', 'cut_off', 'interrupted')),
  summary TEXT,                  -- JSON: what the run did
  error TEXT
){strict};
CREATE INDEX job_runs_by_job ON job_runs (job, id);
)sql"},
    // Pages and escalation policies (decision 0019): a page's progress through its policy is
    // kept on the page; each notification is planned once per (page, round, step, person,
    // channel); one open page per dedup key.
    {26, R"sql(
CREATE TABLE escalation_policies (
  id {id},
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,  -- lower(name)
  steps TEXT NOT NULL,            -- JSON: [{"delay_minutes", "targets": [{"kind", ...}]}]
  repeat_count {int} NOT NULL CHECK (repeat_count >= 0),
  ack_timeout_minutes {int} NOT NULL CHECK (ack_timeout_minutes >= 0),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE TABLE pages (
  id {id},
  source TEXT NOT NULL CHECK (source IN ('incident', 'breach', 'heartbeat', 'manual')),
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'low')),
  dedup_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  policy_id {int} NOT NULL REFERENCES escalation_policies (id),
  state TEXT NOT NULL CHECK (state IN ('triggered', 'acknowledged', 'resolved')),
  round {int} NOT NULL,
  repeats_left {int} NOT NULL,
  step {int} NOT NULL,
  exhausted {int} NOT NULL,
  next_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  resolved_by TEXT,
  resolved_at TEXT
){strict};
CREATE UNIQUE INDEX pages_open_dedup ON pages (dedup_key) WHERE state <> 'resolved';
CREATE INDEX pages_due ON pages (state, next_at);
CREATE TABLE page_events (
  id {id},
  page_id {int} NOT NULL REFERENCES pages (id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  round {int},
  step {int},
  person TEXT,
  channel TEXT,
  detail TEXT
){strict};
CREATE INDEX page_events_by_page ON page_events (page_id, id);
CREATE TABLE page_notifications (
  id {id},
  page_id {int} NOT NULL REFERENCES pages (id),
  round {int} NOT NULL,
  step {int} NOT NULL,
  person TEXT NOT NULL,
  channel TEXT NOT NULL,
  planned_at TEXT NOT NULL,
  UNIQUE (page_id, round, step, person, channel)
){strict};
)sql"},
    // A page's e-mail goes through the outbox like every other message (decision 0019):
    // `page_id` joins the ids a message belongs to, so the table is made again (as in 19).
    {27, R"sql(
CREATE TABLE outbox_new (
  id {id},
  digest_id {int} REFERENCES digests (id),
  advisory_id {int} REFERENCES advisories (id),
  overview_id {int} REFERENCES warning_overviews (id),
  incident_id {int} REFERENCES incidents (id),
  page_id {int} REFERENCES pages (id),
  member_code TEXT NOT NULL,    -- empty for a page: it goes to the CERT's own analysts
  feed_name TEXT NOT NULL,      -- the feed; a warning's advisory id; an overview's week
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts {int} NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count {int} NOT NULL,
  reason_code TEXT,
  reason_params TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  CHECK ((CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN advisory_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN overview_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN page_id IS NULL THEN 0 ELSE 1 END) = 1)
){strict};
INSERT INTO outbox_new (id, digest_id, advisory_id, overview_id, incident_id, member_code,
  feed_name, tlp, language, recipients, subject, message_id, mime, state, reason, attempts,
  next_attempt_at, created_at, updated_at, sent_at, event_count, reason_code, reason_params,
  lease_owner, lease_until)
  SELECT id, digest_id, advisory_id, overview_id, incident_id, member_code, feed_name, tlp,
    language, recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at,
    created_at, updated_at, sent_at, event_count, reason_code, reason_params, lease_owner,
    lease_until
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);
)sql",
     &ContinueOutboxIds},
    // Paging by webhook and by rule, one-time links, and heartbeats (decision 0019): an
    // analyst's verified contact methods and the rules that say which goes when; a page's
    // notifications become deliveries with a due time and a state (a webhook is retried);
    // the links in a page, kept as hashes; the policy Baken's own pages go to; and when each
    // feed last arrived.
    {28, R"sql(
CREATE TABLE contact_methods (
  id {id},
  person TEXT NOT NULL,           -- the analyst's account (e-mail address)
  kind TEXT NOT NULL CHECK (kind IN ('webhook')),
  label TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,           -- the HMAC key, hex
  code_sha256 TEXT,               -- the verification code sent through it
  code_expires_at TEXT,
  code_attempts {int} NOT NULL DEFAULT 0,
  verified_at TEXT,
  disabled_at TEXT,
  created_at TEXT NOT NULL
){strict};
CREATE INDEX contact_methods_by_person ON contact_methods (person, id);
CREATE TABLE notification_rules (
  person TEXT NOT NULL,
  channel TEXT NOT NULL,          -- 'email' (the account's address) or 'webhook:<method id>'
  delay_minutes {int} NOT NULL CHECK (delay_minutes >= 0),
  PRIMARY KEY (person, channel)
){strict};
ALTER TABLE page_notifications ADD COLUMN due_at TEXT;
ALTER TABLE page_notifications ADD COLUMN state TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE page_notifications ADD COLUMN attempts {int} NOT NULL DEFAULT 0;
ALTER TABLE page_notifications ADD COLUMN last_error TEXT;
ALTER TABLE page_notifications ADD COLUMN done_at TEXT;
CREATE INDEX page_notifications_due ON page_notifications (state, due_at);
CREATE TABLE page_links (
  id {id},
  token_sha256 TEXT NOT NULL UNIQUE,
  page_id {int} NOT NULL REFERENCES pages (id),
  person TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_for TEXT,
  created_at TEXT NOT NULL
){strict};
ALTER TABLE escalation_policies ADD COLUMN is_default {int} NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX escalation_policies_one_default ON escalation_policies (is_default)
  WHERE is_default = 1;
CREATE TABLE feed_arrivals (
  feed_name TEXT PRIMARY KEY,
  last_at TEXT NOT NULL,
  events {int} NOT NULL
){strict};
)sql"},
    // Researchers' reports (decision 0020): the report, what it names and where each item was
    // routed, a notification per member with its own states, the threads with the reporter and
    // each member, evidence, the reporter's status links (hashes), the report's history, the
    // public form's challenges, and the e-mails to plan; a report's e-mail goes through the
    // outbox like every other message (`report_id`, so the outbox is made again, as in 27).
    {29, R"sql(
CREATE TABLE vulnerability_reports (
  id {id},
  channel TEXT NOT NULL CHECK (channel IN ('form', 'api', 'mail', 'partner')),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'unknown')),
  reporter_name TEXT,
  reporter_email TEXT,
  reporter_organisation TEXT,
  reporter_language TEXT NOT NULL CHECK (reporter_language IN ('nl', 'en')),
  share_details {int} NOT NULL,  -- 1: members may see who reported it
  credit {int} NOT NULL,         -- 1: the reporter wants to be credited
  credit_as TEXT,
  wants_updates {int} NOT NULL,  -- 1: e-mail the reporter when something happens
  tlp TEXT NOT NULL,
  member_summary TEXT,           -- what members read instead of the reporter's own text
  state TEXT NOT NULL
    CHECK (state IN ('received', 'valid', 'invalid', 'accepted', 'closed')),
  state_reason TEXT,
  merged_into {int} REFERENCES vulnerability_reports (id),
  incident_id {int} REFERENCES incidents (id),
  source_key TEXT NOT NULL,      -- where it came from, hashed (the public form's rate limit)
  submitted_by TEXT NOT NULL,    -- 'public', or the actor who entered it
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT
){strict};
CREATE INDEX vulnerability_reports_by_state ON vulnerability_reports (state, id);
CREATE INDEX vulnerability_reports_by_source ON vulnerability_reports (source_key, created_at);
CREATE TABLE vulnerability_report_items (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'host', 'url', 'email_domain', 'product')),
  value TEXT NOT NULL,
  member_code TEXT REFERENCES members (code),  -- the owner it was routed to; NULL: none
  route_reason TEXT,             -- netblock, domain, inventory, analyst
  route_match TEXT,              -- the claim or asset that matched
  UNIQUE (report_id, kind, value)
){strict};
CREATE TABLE vulnerability_notifications (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  member_code TEXT NOT NULL REFERENCES members (code),
  state TEXT NOT NULL CHECK (state IN ('proposed', 'notified', 'seen', 'acknowledged', 'fixed',
    'not_affected', 'disputed', 'no_response', 'withdrawn')),
  routed_by TEXT NOT NULL,       -- netblock, domain, inventory, analyst
  named {int} NOT NULL,          -- 1: the member agreed that the reporter sees its name
  member_reference TEXT,         -- the member's own tracking number
  note TEXT,                     -- with the member's last answer
  notified_at TEXT,
  seen_at TEXT,
  acknowledged_at TEXT,
  acknowledged_by TEXT,
  answered_at TEXT,              -- the last answer (fixed, not affected, disputed)
  answered_by TEXT,
  due_at TEXT,                   -- a reminder is due then while no answer came
  reminders {int} NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (report_id, member_code)
){strict};
CREATE INDEX vulnerability_notifications_due ON vulnerability_notifications (state, due_at);
CREATE INDEX vulnerability_notifications_member ON vulnerability_notifications (member_code, id);
CREATE TABLE vulnerability_report_messages (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  member_code TEXT REFERENCES members (code),  -- the thread with this member; NULL: reporter's
  author TEXT NOT NULL,          -- an actor, or 'reporter'
  text TEXT NOT NULL,
  for_reporter {int} NOT NULL,   -- a member's message meant for the reporter
  released_at TEXT,              -- passed on to the reporter by an analyst
  released_by TEXT,
  at TEXT NOT NULL
){strict};
CREATE INDEX vulnerability_report_messages_report ON vulnerability_report_messages (report_id, id);
CREATE TABLE vulnerability_report_attachments (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,      -- as given; the download is always application/octet-stream
  size {int} NOT NULL,
  sha256 TEXT NOT NULL,
  content {blob} NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
){strict};
CREATE INDEX vulnerability_report_attachments_report ON vulnerability_report_attachments (report_id);
CREATE TABLE vulnerability_report_links (
  id {id},
  token_sha256 TEXT NOT NULL UNIQUE,
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL
){strict};
CREATE TABLE vulnerability_report_history (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  member_code TEXT,              -- a notification's change; NULL: the report's
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  detail TEXT
){strict};
CREATE INDEX vulnerability_report_history_report ON vulnerability_report_history (report_id, id);
CREATE TABLE report_challenges (
  id {id},
  challenge_sha256 TEXT NOT NULL UNIQUE,
  bits {int} NOT NULL,
  source_key TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
){strict};
CREATE INDEX report_challenges_by_source ON report_challenges (source_key, created_at);
CREATE TABLE vulnerability_report_notices (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  member_code TEXT REFERENCES members (code),  -- to this member; NULL: the reporter or analysts
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'reminder', 'no_response', 'received',
    'update')),
  created_at TEXT NOT NULL,
  planned_at TEXT
){strict};
CREATE INDEX vulnerability_report_notices_unplanned ON vulnerability_report_notices (planned_at, id);
CREATE TABLE outbox_new (
  id {id},
  digest_id {int} REFERENCES digests (id),
  advisory_id {int} REFERENCES advisories (id),
  overview_id {int} REFERENCES warning_overviews (id),
  incident_id {int} REFERENCES incidents (id),
  page_id {int} REFERENCES pages (id),
  report_id {int} REFERENCES vulnerability_reports (id),
  member_code TEXT NOT NULL,    -- empty for a page: it goes to the CERT's own analysts
  feed_name TEXT NOT NULL,      -- the feed; a warning's advisory id; an overview's week
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts {int} NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count {int} NOT NULL,
  reason_code TEXT,
  reason_params TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  CHECK ((CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN advisory_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN overview_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN page_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END) = 1)
){strict};
INSERT INTO outbox_new (id, digest_id, advisory_id, overview_id, incident_id, page_id, member_code,
  feed_name, tlp, language, recipients, subject, message_id, mime, state, reason, attempts,
  next_attempt_at, created_at, updated_at, sent_at, event_count, reason_code, reason_params,
  lease_owner, lease_until)
  SELECT id, digest_id, advisory_id, overview_id, incident_id, page_id, member_code, feed_name, tlp,
    language, recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at,
    created_at, updated_at, sent_at, event_count, reason_code, reason_params, lease_owner,
    lease_until
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);
)sql",
     &ContinueOutboxIds},
    // Where a report that reaches no member may go (decision 0020): what the host's
    // security.txt (or later the RIPE abuse-c) says, one attempt per report, item and source,
    // kept also when nothing was found (`problem`), so that a host is asked once.
    {30, R"sql(
CREATE TABLE vulnerability_report_suggestions (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  item TEXT NOT NULL,            -- the host, address, URL or domain the suggestion is for
  source TEXT NOT NULL CHECK (source IN ('security.txt', 'ripe')),
  location TEXT NOT NULL,        -- where it was looked up
  contacts TEXT NOT NULL,        -- JSON array, in order of preference; empty when none
  detail TEXT,                   -- what else it said (expiry, signature), or why nothing
  found_at TEXT NOT NULL,
  UNIQUE (report_id, item, source)
){strict};
)sql"},
    // A report that came by e-mail keeps the message as it arrived (decision 0021), for the
    // analysts only: it carries the reporter's address whatever the reporter agreed to share.
    // Its hash makes a message taken in twice (an MTA that retries) one report.
    {31, R"sql(
CREATE TABLE vulnerability_report_mails (
  id {id},
  report_id {int} NOT NULL REFERENCES vulnerability_reports (id),
  message_id TEXT NOT NULL,      -- the Message-ID, without <>; empty when it had none
  sender TEXT NOT NULL,
  format TEXT NOT NULL,          -- plain, xarf-0.2, xarf-4, ...
  encrypted {int} NOT NULL,      -- it came encrypted to the CERT's key
  signature TEXT NOT NULL,       -- none, good, bad, unknown_key, expired, error
  signer TEXT NOT NULL,          -- the signing key's fingerprint, or empty
  size {int} NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  raw {blob} NOT NULL,
  received_at TEXT NOT NULL
){strict};
CREATE INDEX vulnerability_report_mails_report ON vulnerability_report_mails (report_id);
)sql"},
    // The OpenPGP public keys on file (decision 0021): mail to an address with one is encrypted
    // when every recipient of the message has one.
    {32, R"sql(
CREATE TABLE openpgp_keys (
  email TEXT PRIMARY KEY,        -- lower-case
  fingerprint TEXT NOT NULL,
  armored TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
){strict};
)sql"},
    // The abuse contacts of the RIPE database (decision 0022), replaced whole by each
    // `baken ripe load`. Addresses are big-endian bytes (4 or 16), which order as the addresses
    // do; each range points at the nearest range containing it, so that the search for a
    // contact climbs by id.
    {33, R"sql(
CREATE TABLE ripe_ranges (
  id {id},
  family {int} NOT NULL CHECK (family IN (4, 6)),
  first_address {blob} NOT NULL,
  last_address {blob} NOT NULL,
  object TEXT NOT NULL,          -- "inetnum 193.0.0.0 - 193.0.7.255"
  abuse_c TEXT,                  -- a role's handle, upper-case
  org TEXT,                      -- an organisation's handle, upper-case
  registry {int} NOT NULL,       -- maintained by RIPE's registration services
  parent_id {int} REFERENCES ripe_ranges (id)
){strict};
CREATE INDEX ripe_ranges_first ON ripe_ranges (family, first_address, last_address);
-- Deleting the ranges checks each row's children: without this, a reload would read the whole
-- table once per row.
CREATE INDEX ripe_ranges_parent ON ripe_ranges (parent_id);
CREATE TABLE ripe_organisations (
  handle TEXT PRIMARY KEY,
  abuse_c TEXT NOT NULL
){strict};
CREATE TABLE ripe_roles (
  handle TEXT PRIMARY KEY,
  mailbox TEXT NOT NULL
){strict};
CREATE TABLE ripe_loads (
  id {id},
  loaded_at TEXT NOT NULL,
  files TEXT NOT NULL,
  ranges {int} NOT NULL,
  organisations {int} NOT NULL,
  roles {int} NOT NULL
){strict};
)sql"},
    // Threat intelligence (decision 0023): an event is a context given to a circle (its
    // distribution and the members named as concerned); its indicators each carry their own
    // TLP, never looser than the event's; sightings say who saw an indicator, named or not.
    {34, R"sql(
CREATE TABLE intel_events (
  id {id},
  source_kind TEXT NOT NULL CHECK (source_kind IN ('misp', 'stix', 'list', 'portal')),
  source_id TEXT NOT NULL,       -- the MISP event's uuid, the STIX object's id; '' when none
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  tlp TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  tlp_given {int} NOT NULL,      -- the source labelled it (else Baken read it as AMBER)
  pap TEXT,
  distribution TEXT NOT NULL CHECK (distribution IN ('cert', 'named', 'members', 'partners')),
  confidence {int},
  threat_level TEXT,
  event_date TEXT,
  creator TEXT NOT NULL,         -- the organisation that made it, as the source names it
  tags TEXT NOT NULL,            -- JSON array
  problems TEXT NOT NULL,        -- JSON array: what the reader kept and flagged, or left out
  owner_member TEXT REFERENCES members (code),  -- the member that shared it
  from_outside {int} NOT NULL,   -- it came from outside Baken (a partner, a feed, an upload)
  permission TEXT,               -- the source's recorded permission to share beyond its TLP
  added_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
){strict};
CREATE INDEX intel_events_source ON intel_events (source_kind, source_id);
CREATE TABLE intel_event_members (
  event_id {int} NOT NULL REFERENCES intel_events (id),
  member_code TEXT NOT NULL REFERENCES members (code),
  PRIMARY KEY (event_id, member_code)
){strict};
CREATE TABLE intel_indicators (
  id {id},
  event_id {int} NOT NULL REFERENCES intel_events (id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,           -- canonical for its kind
  tlp TEXT NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  for_detection {int} NOT NULL,
  cert_only {int} NOT NULL,      -- its own distribution keeps it inside the CERT
  valid_until TEXT,
  first_seen TEXT,
  last_seen TEXT,
  comment TEXT NOT NULL,
  group_ref TEXT NOT NULL,       -- the MISP object or STIX object it belongs to; '' when none
  group_name TEXT NOT NULL,
  source_ref TEXT NOT NULL,      -- the MISP attribute's uuid, the STIX object's id
  source_type TEXT NOT NULL,     -- as the source typed it
  tags TEXT NOT NULL,            -- JSON array
  created_at TEXT NOT NULL
){strict};
CREATE INDEX intel_indicators_value ON intel_indicators (kind, value);
CREATE INDEX intel_indicators_event ON intel_indicators (event_id, id);
CREATE TABLE intel_sightings (
  id {id},
  indicator_id {int} NOT NULL REFERENCES intel_indicators (id),
  member_code TEXT REFERENCES members (code),  -- the member that saw it; NULL: the source said
  kind TEXT NOT NULL CHECK (kind IN ('seen', 'false_positive', 'expired')),
  at TEXT NOT NULL,
  count {int} NOT NULL,
  source TEXT NOT NULL,
  named {int} NOT NULL,          -- 1: the member agreed that others learn it saw it
  added_by TEXT NOT NULL,
  created_at TEXT NOT NULL
){strict};
CREATE INDEX intel_sightings_indicator ON intel_sightings (indicator_id, id);
)sql"},
    // Sightings that warn (decision 0023): a member's sighting of an indicator warns each other
    // member that may receive it, one warning per member, planned into the outbox like every
    // other message (`intel_warning_id`, so the outbox is made again, as in 29); and each
    // member's key to its intel feed.
    {35, R"sql(
CREATE TABLE intel_warnings (
  id {id},
  indicator_id {int} NOT NULL REFERENCES intel_indicators (id),
  sighting_id {int} NOT NULL REFERENCES intel_sightings (id),
  member_code TEXT NOT NULL REFERENCES members (code),  -- the member warned
  created_at TEXT NOT NULL,
  planned_at TEXT
){strict};
CREATE INDEX intel_warnings_unplanned ON intel_warnings (planned_at, id);
CREATE INDEX intel_warnings_recent ON intel_warnings (indicator_id, member_code, created_at);
-- A member's feed key: the exports it may receive at a URL a firewall or resolver can fetch.
-- Only the key's hash is kept; a new key replaces the old one.
CREATE TABLE intel_feed_tokens (
  member_code TEXT PRIMARY KEY REFERENCES members (code),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
){strict};
CREATE TABLE outbox_new (
  id {id},
  digest_id {int} REFERENCES digests (id),
  advisory_id {int} REFERENCES advisories (id),
  overview_id {int} REFERENCES warning_overviews (id),
  incident_id {int} REFERENCES incidents (id),
  page_id {int} REFERENCES pages (id),
  report_id {int} REFERENCES vulnerability_reports (id),
  intel_warning_id {int} REFERENCES intel_warnings (id),
  member_code TEXT NOT NULL,    -- empty for a page: it goes to the CERT's own analysts
  feed_name TEXT NOT NULL,      -- the feed; a warning's advisory id; an overview's week
  tlp TEXT NOT NULL,
  language TEXT NOT NULL,
  recipients TEXT NOT NULL,     -- JSON array of addresses
  subject TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'held', 'sending', 'sent', 'failed', 'unknown')),
  reason TEXT,
  attempts {int} NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT,
  event_count {int} NOT NULL,
  reason_code TEXT,
  reason_params TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  CHECK ((CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN advisory_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN overview_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN incident_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN page_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN intel_warning_id IS NULL THEN 0 ELSE 1 END) = 1)
){strict};
INSERT INTO outbox_new (id, digest_id, advisory_id, overview_id, incident_id, page_id, report_id,
  member_code,
  feed_name, tlp, language, recipients, subject, message_id, mime, state, reason, attempts,
  next_attempt_at, created_at, updated_at, sent_at, event_count, reason_code, reason_params,
  lease_owner, lease_until)
  SELECT id, digest_id, advisory_id, overview_id, incident_id, page_id, report_id, member_code,
    feed_name, tlp,
    language, recipients, subject, message_id, mime, state, reason, attempts, next_attempt_at,
    created_at, updated_at, sent_at, event_count, reason_code, reason_params, lease_owner,
    lease_until
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, id);
)sql",
     &ContinueOutboxIds},
    // MISP feeds Baken follows (decision 0023, "Following a MISP feed"): each event file is
    // taken in again when the feed's manifest gives it a newer timestamp; an event that leaves
    // the manifest has its indicators end.
    {36, R"sql(
CREATE TABLE intel_followed_feeds (
  id {id},
  url TEXT NOT NULL UNIQUE,      -- the feed's folder, ending in '/'
  distribution TEXT CHECK (distribution IN ('cert', 'named', 'members', 'partners')),
                                 -- NULL: what each event says
  named TEXT NOT NULL,           -- JSON array: the members named as concerned
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  last_run_at TEXT,
  last_error TEXT                -- why the last run could not read the manifest
){strict};
CREATE TABLE intel_followed_events (
  feed_id {int} NOT NULL REFERENCES intel_followed_feeds (id),
  event_uuid TEXT NOT NULL,
  timestamp {int} NOT NULL,      -- the manifest's timestamp of the version taken in; 0: none yet
  event_id {int} REFERENCES intel_events (id),
  failures {int} NOT NULL,       -- failed fetches in a row; given up at ten
  last_error TEXT,
  PRIMARY KEY (feed_id, event_uuid)
){strict};
)sql"},
    // Ingest reads the digests of a feed from today's period on in one query per batch
    // (service/digests.h DigestOpener), not one query per member.
    {37, R"sql(
CREATE INDEX digests_feed_period ON digests (feed_name, period);
)sql"},
    // Event blocks' data is stored as it is on PostgreSQL (StoreBlockDataUncompressed); nothing
    // changes on SQLite.
    {38, "", &StoreBlockDataUncompressed},
}};

std::string ForEngine(std::string_view sql, sql::Engine engine) {
  const bool sqlite = engine == sql::Engine::kSqlite;
  const std::pair<std::string_view, std::string_view> words[] = {
      {"{int}", sqlite ? "INTEGER" : "BIGINT"},
      {"{id}",
       sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"{blob}", sqlite ? "BLOB" : "BYTEA"},
      {"{strict}", sqlite ? " STRICT" : ""},
  };
  std::string text(sql);
  for (const auto& [word, replacement] : words) {
    for (size_t at = text.find(word); at != std::string::npos;
         at = text.find(word, at + replacement.size())) {
      text.replace(at, word.size(), replacement);
    }
  }
  return text;
}

// PostgreSQL's baseline is SQLite's schema at its last own migration.
static_assert(kMigrations[std::size(kMigrations) - 1].version == kPostgresqlBaselineVersion);

int LatestVersion() {
  int latest = kPostgresqlBaselineVersion;
  for (const Migration& migration : kSharedMigrations) latest = std::max(latest, migration.version);
  return latest;
}

Result<int> ReadVersion(sql::Connection& connection) {
  const bool sqlite = connection.engine() == sql::Engine::kSqlite;
  if (!sqlite) {
    BAKEN_RETURN_IF_ERROR(
        connection.Execute("CREATE TABLE IF NOT EXISTS baken_schema (version BIGINT NOT NULL)"));
  }
  BAKEN_ASSIGN_OR_RETURN(sql::Statement version,
                         connection.Prepare(sqlite ? "PRAGMA user_version"
                                                   : "SELECT coalesce(max(version), 0) "
                                                     "FROM baken_schema"));
  BAKEN_ASSIGN_OR_RETURN(bool has_row, version.Step());
  const int current = has_row ? static_cast<int>(version.ColumnInt(0)) : 0;
  version.Reset();  // an unfinished statement would keep a migration from dropping a table
  return current;
}

// SQLite compares text byte by byte and its lower() folds ASCII only; a PostgreSQL database
// does the same only with the C locale and UTF-8. With another locale lists would sort
// differently and e-mail addresses compare differently: refused, with how to make it right.
Status CheckPostgresqlLocale(sql::Connection& connection, std::string_view location) {
  BAKEN_ASSIGN_OR_RETURN(
      sql::Statement select,
      connection.Prepare("SELECT pg_encoding_to_char(encoding), datcollate, datctype "
                         "FROM pg_database WHERE datname = current_database()"));
  BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return {};
  const std::string encoding = select.ColumnText(0);
  const std::string collate = select.ColumnText(1);
  const std::string ctype = select.ColumnText(2);
  const auto is_c = [](std::string_view locale) { return locale == "C" || locale == "POSIX"; };
  if (encoding == "UTF8" && is_c(collate) && is_c(ctype)) return {};
  return MakeError(
      ErrorCode::kUnavailable,
      fmt::format("database '{}' has encoding {} and locale {}/{}; Baken needs UTF8 and the C "
                  "locale, so that text sorts and compares as on SQLite: create it with "
                  "CREATE DATABASE … ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0",
                  location, encoding, collate, ctype));
}

Status WriteVersion(sql::Connection& connection, int version) {
  if (connection.engine() == sql::Engine::kSqlite) {
    return connection.Execute(fmt::format("PRAGMA user_version = {}", version));
  }
  return connection.Execute(fmt::format(
      "DELETE FROM baken_schema; INSERT INTO baken_schema (version) VALUES ({})", version));
}

Status Apply(sql::Connection& connection, const Migration& migration) {
  if (!migration.sql.empty()) {  // PostgreSQL refuses an empty query
    BAKEN_RETURN_IF_ERROR(connection.Execute(ForEngine(migration.sql, connection.engine())));
  }
  if (migration.then != nullptr) return migration.then(connection);
  return {};
}

Result<int> MigrateInTransaction(sql::Connection& connection, std::string_view location) {
  BAKEN_ASSIGN_OR_RETURN(int current, ReadVersion(connection));
  if (current > LatestVersion()) {
    return MakeError(ErrorCode::kUnavailable,
                     fmt::format("database '{}' has schema version {}, newer than this program "
                                 "knows ({}); use a newer baken",
                                 location, current, LatestVersion()));
  }
  if (connection.engine() == sql::Engine::kSqlite) {
    for (const Migration& migration : kMigrations) {
      if (migration.version <= current) continue;
      BAKEN_RETURN_IF_ERROR(Apply(connection, migration));
      current = migration.version;
    }
  } else if (auto locale = CheckPostgresqlLocale(connection, location); !locale) {
    return tl::unexpected(locale.error());
  } else if (current < kPostgresqlBaselineVersion) {
    if (current != 0) {
      return MakeError(ErrorCode::kUnavailable,
                       fmt::format("database '{}' has schema version {}, older than the "
                                   "PostgreSQL baseline {}; it was not made by baken",
                                   location, current, kPostgresqlBaselineVersion));
    }
    BAKEN_RETURN_IF_ERROR(connection.Execute(PostgresqlBaseline()));
    current = kPostgresqlBaselineVersion;
  }
  for (const Migration& migration : kSharedMigrations) {
    if (migration.version <= current) continue;
    BAKEN_RETURN_IF_ERROR(Apply(connection, migration));
    current = migration.version;
  }
  BAKEN_RETURN_IF_ERROR(WriteVersion(connection, current));
  return current;
}

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }
std::span<const Migration> SharedMigrations() { return kSharedMigrations; }

Result<int> Migrate(sql::Connection& connection, std::string_view location) {
  BAKEN_RETURN_IF_ERROR(connection.BeginTransaction(/*write=*/true));
  auto migrated = MigrateInTransaction(connection, location);
  if (!migrated) {
    (void)connection.Execute("ROLLBACK");
    return migrated;
  }
  BAKEN_RETURN_IF_ERROR(connection.Execute("COMMIT"));
  return migrated;
}

}  // namespace baken::store
