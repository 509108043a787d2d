#include "store/migrations.h"

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
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace baken::store
