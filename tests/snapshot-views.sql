-- The published snapshot's tables (registry/snapshot/schema.h, version 7)
-- read back as plain text, for the tests that ask the snapshot with SQL
-- as an oracle: `snapsql SNAPSHOT SQL` (tests/lib.sh) runs SQL with these
-- temporary views in front of the tables of the same names.  The decoding
-- is written here again, from the schema's description, not taken from
-- the reader: day numbers count from 1970-01-01, Unix times are UTC, the
-- codes are those of registry/rules/status.h; a certificate's number is
-- its run's prefix and the run's first value counted up to its id, in
-- the run's width.
CREATE TEMP VIEW certificate_numbers AS SELECT c.id,
  (SELECT r.prefix || CASE WHEN r.width > 0
     THEN printf('%0*d', r.width, r.first + c.id - r.first_id) ELSE '' END
   FROM main.number_runs r WHERE r.first_id <= c.id
   ORDER BY r.first_id DESC LIMIT 1) AS number
  FROM main.certificates c;
CREATE TEMP VIEW certificates AS SELECT c.id, c.recorded,
  (SELECT n.number FROM certificate_numbers n WHERE n.id = c.id) AS number,
  c.category,
  c.level, date(c.issued_on * 86400, 'unixepoch') AS issued_on,
  date(c.valid_until * 86400, 'unixepoch') AS valid_until,
  c.organisation_id, o.name AS organisation_name, o.credit_code,
  CASE typeof(c.predecessor) WHEN 'integer' THEN (SELECT n.number FROM
    certificate_numbers n WHERE n.id = c.predecessor) ELSE c.predecessor END
    AS predecessor,
  CASE typeof(c.successor) WHEN 'integer' THEN (SELECT n.number FROM
    certificate_numbers n WHERE n.id = c.successor) ELSE c.successor END
    AS successor,
  CASE c.status WHEN 0 THEN 'not_issued' WHEN 1 THEN 'valid'
    WHEN 2 THEN 'suspended' WHEN 3 THEN 'revoked' WHEN 4 THEN 'expired'
    WHEN 5 THEN 'superseded' END AS status,
  date(c.status_since * 86400, 'unixepoch') AS status_since,
  substr(CASE WHEN c.flags & 1 THEN ',warning' ELSE '' END ||
    CASE WHEN c.flags & 2 THEN ',rectification' ELSE '' END ||
    CASE WHEN c.flags & 4 THEN ',annual_check_overdue' ELSE '' END ||
    CASE WHEN c.flags & 8 THEN ',rectification_overdue' ELSE '' END, 2)
    AS flags,
  date(c.warning_until * 86400, 'unixepoch') AS warning_until,
  date(c.rectification_deadline * 86400, 'unixepoch')
    AS rectification_deadline,
  CASE c.windows & 15 WHEN 0 THEN 'upcoming' WHEN 1 THEN 'open'
    WHEN 2 THEN 'passed' WHEN 3 THEN 'overdue' WHEN 4 THEN 'closed'
    WHEN 5 THEN 'ended' END AS annual1_state,
  date(c.annual1_done_on * 86400, 'unixepoch') AS annual1_done_on,
  CASE c.windows >> 4 & 15 WHEN 0 THEN 'upcoming' WHEN 1 THEN 'open'
    WHEN 2 THEN 'passed' WHEN 3 THEN 'overdue' WHEN 4 THEN 'closed'
    WHEN 5 THEN 'ended' END AS annual2_state,
  date(c.annual2_done_on * 86400, 'unixepoch') AS annual2_done_on,
  CASE c.windows >> 8 & 15 WHEN 0 THEN 'upcoming' WHEN 1 THEN 'open'
    WHEN 2 THEN 'passed' WHEN 3 THEN 'overdue' WHEN 4 THEN 'closed'
    WHEN 5 THEN 'ended' END AS renewal_state,
  date(c.renewal_done_on * 86400, 'unixepoch') AS renewal_done_on
  FROM main.certificates c JOIN main.organisations o
  ON o.id = c.organisation_id;
CREATE TEMP VIEW events AS SELECT e.seq,
  (SELECT name FROM main.kinds k WHERE k.code = e.kind) AS kind,
  e.certificate_id,
  (SELECT n.number FROM certificate_numbers n WHERE n.id = e.certificate_id)
    AS number,
  e.organisation_id, date(e.effective_on * 86400, 'unixepoch')
    AS effective_on,
  CASE typeof(e.recorded_at) WHEN 'integer'
    THEN strftime('%Y-%m-%dT%H:%M:%SZ', e.recorded_at, 'unixepoch')
    ELSE e.recorded_at END AS recorded_at,
  (SELECT text FROM main.texts t WHERE t.id = e.reason) ||
    coalesce(e.reason_number, '') AS reason,
  e.reference, date((e.rare ->> 0) * 86400, 'unixepoch') AS deadline,
  e.rare ->> 1 AS target_seq, e.rare ->> 2 AS old_value,
  CASE typeof(e.new_value) WHEN 'blob' THEN (SELECT o.name FROM
    main.organisations o WHERE o.id = e.organisation_id) ELSE e.new_value END
    AS new_value,
  e.rare ->> 3 AS other_organisation_id,
  CASE typeof(e.other_number) WHEN 'integer' THEN (SELECT n.number FROM
    certificate_numbers n WHERE n.id = e.other_number) ELSE e.other_number END
    AS other_number,
  e.rare ->> 4 AS voided_by FROM main.events e;
CREATE TEMP VIEW former_names AS SELECT organisation_id, event_id, name,
  date(until * 86400, 'unixepoch') AS until FROM main.former_names;
