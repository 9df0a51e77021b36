-- The registry's schema as version 2 left it (sqlite3's .schema of a
-- database registryctl init made before version 3), for migrate.sh.
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE categories(
  code TEXT PRIMARY KEY,
  position INTEGER NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL);
CREATE TABLE levels(
  level INTEGER PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL);
CREATE TABLE organisations(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  credit_code TEXT UNIQUE,
  address TEXT NOT NULL DEFAULT '', name_en TEXT
  CHECK (name_en IS NULL OR name_en <> ''));
CREATE INDEX organisations_name ON organisations(name);
CREATE TABLE certificates(
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL REFERENCES categories(code),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  issued_on TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  holder_id INTEGER NOT NULL REFERENCES organisations(id),
  predecessor_id INTEGER REFERENCES certificates(id),
  successor_id INTEGER REFERENCES certificates(id));
CREATE INDEX certificates_holder ON certificates(holder_id);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  certificate_id INTEGER REFERENCES certificates(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  effective_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',
  deadline TEXT,
  target_id INTEGER REFERENCES events(id),
  old_value TEXT,
  new_value TEXT,
  other_organisation_id INTEGER REFERENCES organisations(id),
  other_certificate_id INTEGER REFERENCES certificates(id));
CREATE INDEX events_certificate ON events(certificate_id)
  WHERE certificate_id IS NOT NULL;
CREATE INDEX events_organisation ON events(organisation_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
  SELECT RAISE(ABORT, 'events are append-only: record a void event instead');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
  SELECT RAISE(ABORT, 'events are append-only: record a void event instead');
END;
CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations
BEGIN
  SELECT RAISE(ABORT, 'organisations are never deleted');
END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
BEGIN
  SELECT RAISE(ABORT, 'certificates are never deleted');
END;
CREATE TRIGGER certificates_facts_fixed BEFORE UPDATE OF
  number, category, level, issued_on, valid_until, predecessor_id
  ON certificates BEGIN
  SELECT RAISE(ABORT, 'a certificate''s facts never change');
END;
PRAGMA user_version = 2;
