"""The ledger's schema, as numbered migrations.

Each migration takes a database from version ``n - 1`` to ``n`` (SQLite's ``user_version``).
A new ledger runs them all; an older one is backed up (``ledger.sqlite3.v<old>.bak``), then
runs the ones it lacks, each in its own transaction. Never edit a migration that has
shipped: add the next one. Tests build a ledger at every earlier version and upgrade it.
"""

from __future__ import annotations

#: (version, purpose, SQL). Version 1 is the schema of the first release.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "receipts, rows, issues, runs", """CREATE TABLE IF NOT EXISTS receipts (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES receipts(id),
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    inbox_path TEXT,
    cleared INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    run_id INTEGER,
    archive_path TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    period TEXT,
    unit TEXT,
    outcome TEXT NOT NULL,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    identified_by TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '{}',
    superseded_by INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS receipts_sha ON receipts(sha256);
CREATE INDEX IF NOT EXISTS receipts_unit_period ON receipts(unit, period);
CREATE INDEX IF NOT EXISTS receipts_period ON receipts(period);
CREATE TABLE IF NOT EXISTS rows (
    receipt_id INTEGER NOT NULL REFERENCES receipts(id),
    task TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER,
    work TEXT NOT NULL,
    problems TEXT NOT NULL,
    next_plan TEXT NOT NULL,
    eta TEXT,
    evidence TEXT NOT NULL,
    row INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_receipt ON rows(receipt_id);
CREATE TABLE IF NOT EXISTS issues (
    receipt_id INTEGER NOT NULL REFERENCES receipts(id),
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    sheet TEXT NOT NULL,
    cell TEXT NOT NULL,
    task TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issues_receipt ON issues(receipt_id);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT NOT NULL DEFAULT '{}'
);
"""),
    (2, "mail drafts written by issue, collect (feedback) and remind", """
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,             -- issue | feedback | remind
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    path TEXT NOT NULL,             -- relative to the workspace root
    sha256 TEXT NOT NULL,
    message_id TEXT NOT NULL,
    receipt_id INTEGER REFERENCES receipts(id),   -- feedback: the return it answers
    created_at TEXT NOT NULL,
    obsolete_at TEXT,               -- replaced by a later draft, or answered by a later return
    obsolete_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX drafts_kind_period ON drafts(kind, period, unit);
"""),
]
#: (version, purpose, SQL), merged into `MIGRATIONS`: the tables of `mail_records`. Kept here,
#: not there: opening any ledger imported that module for this list, and with it its classes,
#: 1.8 ms of every `duban status` (-X importtime, min of 11, 2-core EPYC, Python 3.11).
MAIL_MIGRATIONS: list[tuple[int, str, str]] = [
    (3, "mailbox: messages fetched by duban mail fetch, drafts sent by duban mail send", """
CREATE TABLE IF NOT EXISTS mail_fetched (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,          -- user@imap host
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    internaldate TEXT NOT NULL,     -- ISO 8601 with the server's UTC offset
    size INTEGER NOT NULL,          -- RFC822.SIZE
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,            -- fetched | duplicate | too_big | skipped
    inbox_name TEXT,                -- file name written in 收件箱 (fetched)
    sha256 TEXT,                    -- of the exact bytes the server sent for BODY.PEEK[]
    after_fetch TEXT NOT NULL DEFAULT '',  -- keep | seen | move:<folder> once applied
    fetched_at TEXT NOT NULL,
    UNIQUE(account, folder, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS mail_fetched_sha ON mail_fetched(sha256);
CREATE INDEX IF NOT EXISTS mail_fetched_message_id ON mail_fetched(message_id);
CREATE TABLE IF NOT EXISTS mail_sent (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    draft_id INTEGER REFERENCES drafts(id),
    kind TEXT NOT NULL,             -- issue | feedback | remind
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    recipients TEXT NOT NULL,       -- JSON list of the envelope recipients
    refused TEXT NOT NULL DEFAULT '{}',    -- JSON address -> reason, for partial sends
    state TEXT NOT NULL,            -- sending | sent | failed
    error TEXT NOT NULL DEFAULT '',
    copy TEXT NOT NULL DEFAULT '',  -- where the Sent copy went ('' none)
    started_at TEXT NOT NULL,
    sent_at TEXT
);
"""),
]
MIGRATIONS.extend(MAIL_MIGRATIONS)
MIGRATIONS.append((4, "evidence: where each received time came from; what each unit was issued", """
ALTER TABLE receipts ADD COLUMN received_how TEXT NOT NULL DEFAULT '';
CREATE TABLE issued (
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    fingerprint TEXT NOT NULL,      -- of the master the return was made from (its _meta)
    tasks TEXT NOT NULL,            -- JSON list of the task ids in the unit's form
    issued_at TEXT NOT NULL,
    PRIMARY KEY (period, unit, fingerprint)
);
"""))
MIGRATIONS.append((5, "work owed: feedback a run could not write (disk full, no permission)", """
CREATE TABLE owed (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,             -- feedback
    receipt_id INTEGER NOT NULL REFERENCES receipts(id),
    reason TEXT NOT NULL DEFAULT '',    -- why it could not be written, in Chinese
    created_at TEXT NOT NULL,
    done_at TEXT                    -- written by a later run, or made pointless by a later return
);
CREATE INDEX owed_open ON owed(kind, done_at);
"""))
MIGRATIONS.append((6, "the deadline each unit's form was issued with (duban issue --due)", """
ALTER TABLE issued ADD COLUMN due TEXT;  -- ISO date printed on the form; NULL before version 6
"""))
MIGRATIONS.append((7, "each unit's role (牵头/配合) on each task of its form", """
ALTER TABLE issued ADD COLUMN roles TEXT;  -- JSON {task id: 牵头|配合}; NULL before version 7
"""))
MIGRATIONS.append((8, "the texts of each task on a period's forms", """
CREATE TABLE issued_texts (
    period TEXT NOT NULL,
    task TEXT NOT NULL,
    texts TEXT NOT NULL,            -- JSON of the task's fields as its forms printed them (the latest issue's)
    PRIMARY KEY (period, task)
);
"""))
MIGRATIONS.append((9, "units exempt for the period: every task done, no form issued (skip_done_units)", """
ALTER TABLE issued ADD COLUMN exempt INTEGER NOT NULL DEFAULT 0;  -- 1: no form went out (销号); 0 before version 9
"""))
MIGRATIONS.append((10, "when each unit's form first went out, kept when it is issued again", """
ALTER TABLE issued ADD COLUMN first_issued_at TEXT;  -- issued_at is the latest issue's; NULL: as issued_at
"""))
MIGRATIONS.append((11, "the office's answer whether a return from an unknown address was its unit's (senders)", """
CREATE TABLE sender_checks (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),   -- the return whose sender was asked about
    theirs INTEGER NOT NULL,        -- 1: the unit's own, or sent for it; 0: not the unit's
    checked_at TEXT NOT NULL
);
"""))
MIGRATIONS.append((12, "the addresses each sent mail reached, kept across the sends that complete it", """
ALTER TABLE mail_sent ADD COLUMN delivered TEXT NOT NULL DEFAULT '[]';  -- JSON list; '[]' before version 12
"""))
MIGRATIONS.append((13, "the recipients duban wrote in each draft: an address the office typed is its own", """
ALTER TABLE drafts ADD COLUMN recipients TEXT;  -- JSON list of the To/Cc addresses written; NULL before version 13
"""))
MIGRATIONS.append((14, "the office's answer that a file whose name or sender named another unit (W206) is its own", """
CREATE TABLE disputed_checks (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),   -- the file registered under its unit
    checked_at TEXT NOT NULL        -- when the office said the file is that unit's, not the other's
);
"""))
MIGRATIONS.append((15, "the office's word that it opened a mail too big to fetch and dealt with it", """
ALTER TABLE mail_fetched ADD COLUMN checked_at TEXT;  -- too_big: when the office said so; NULL: not (or before 15)
"""))
MIGRATIONS.append((16, "the office's answer about a return 逾期 on its file's modification time (duban received)", """
CREATE TABLE time_answers (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),   -- the file timed by its modification time
    stated_on TEXT,                 -- ISO date the office says it got the file; NULL: the file's time is right
    answered_at TEXT NOT NULL
);
"""))
MIGRATIONS.append((17, "why a time a mail gave a receipt may not be when it was sent (a forward's, the mailbox's)", """
CREATE TABLE weak_times (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),   -- a file timed by a mail
    kind TEXT NOT NULL,             -- inline, forward, mailbox: `toolkit.ledger.time_basis`
    other TEXT                      -- the time set aside (a capped Date, the mail's own Date); NULL: none
);
"""))
MIGRATIONS.append((18, "every run of duban mail fetch: when, whether it looked at every message, what it stored", """
CREATE TABLE mail_fetch_runs (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,          -- user@imap host
    folder TEXT NOT NULL,
    since TEXT NOT NULL,            -- ISO date: the mail looked for was received on or after it
    started_at TEXT NOT NULL,       -- ISO 8601 with the workspace's UTC offset
    finished_at TEXT,               -- NULL: stopped before it returned (killed, power cut)
    complete INTEGER NOT NULL DEFAULT 0,    -- 1: every message since ``since`` looked at
    looked_at INTEGER NOT NULL DEFAULT 0,   -- messages new to the ledger judged by this run
    stored INTEGER NOT NULL DEFAULT 0,      -- of them, written to 收件箱
    problem TEXT NOT NULL DEFAULT ''        -- why it stopped before the end, in Chinese
);
"""))
MIGRATIONS.append((19, "what duban last wrote at each 通报 and 汇总表: one that differs was edited since", """
CREATE TABLE outputs (
    path TEXT PRIMARY KEY,          -- relative to the workspace root, '/'-separated
    sha256 TEXT NOT NULL,           -- of the bytes duban wrote there last
    written_at TEXT NOT NULL
);
"""))
MIGRATIONS.append((20, "the office's answer that a W206 file is not its registered unit's (sender --not-theirs)", """
ALTER TABLE disputed_checks ADD COLUMN theirs INTEGER NOT NULL DEFAULT 1;  -- 0: not the unit's, no unit's return
"""))
MIGRATIONS.append((21, "when each unit was last given its form anew, not printed again the same", """
-- its first issue, or a later one with another due, tasks or roles, or by name (issue --dept)
ALTER TABLE issued ADD COLUMN changed_at TEXT;
UPDATE issued SET changed_at = issued_at;       -- before version 21 every issue counted as one anew
"""))
MIGRATIONS.append((22, "the office's own mail and files coming back, by kind, not by the words of a note", """
ALTER TABLE receipts ADD COLUMN office TEXT NOT NULL DEFAULT '';   -- copy, auto, bounced (`office_copies`); '' none
ALTER TABLE receipts ADD COLUMN bounced TEXT NOT NULL DEFAULT '';  -- a bounce's JSON {unit, subject, failed}; '' none
UPDATE receipts SET office = 'copy' WHERE outcome = '重复' AND note LIKE '%，不是单位的报送，不计入';
UPDATE receipts SET office = 'bounced'
 WHERE outcome = '已拆包' AND note LIKE '%；退信：邮件未送达%，不是报送%';
UPDATE receipts SET office = 'auto' WHERE outcome = '已拆包' AND office = '' AND note LIKE '%；自动回复，不是报送%';
"""))
MIGRATIONS.append((23, "a forwarded message's time worded as the 请核实 lines say it (receipts.received_how)", """
UPDATE receipts SET received_how = '被转发的原邮件的发送时间' WHERE received_how = '被转发原邮件的发送时间';
"""))
# A bounce collected before version 22 was marked by its note alone ("；退信：邮件未送达a、b，不是报送", as
# `office_copies.automatic_note` wrote it): never said again (`office_copies.standing_bounces`). Its
# addresses are read back from there, its unit from the office's copy it carried; why it failed and the
# returned mail's subject were never kept (''); an address JSON would need escaped, or none (a subject quoting the
# words: migration 22 took it for a bounce), is left out (QA381)
MIGRATIONS.append((24, "what a bounce recorded before version 22 says failed (receipts.bounced), from its note", """
UPDATE receipts SET bounced = COALESCE((
  WITH RECURSIVE
    failed(text) AS (SELECT substr(tail, 1, instr(tail, '，不是报送') - 1)
                     FROM (SELECT substr(receipts.note, instr(receipts.note, '；退信：邮件未送达') + 9) AS tail)),
    split(address, rest) AS (SELECT '', text || '、' FROM failed
                             UNION ALL
                             SELECT substr(rest, 1, instr(rest, '、') - 1), substr(rest, instr(rest, '、') + 1)
                             FROM split WHERE rest <> '')
  SELECT '{"unit": "' || COALESCE((SELECT c.unit FROM receipts c WHERE c.parent_id = receipts.id AND c.office = 'copy'
                                    AND c.unit IS NOT NULL AND c.unit NOT LIKE '%"%' ORDER BY c.id LIMIT 1), '')
         || '", "subject": "", "failed": [' || group_concat('["' || address || '", ""]', ', ') || ']}'
  FROM split WHERE address LIKE '%@%' AND address NOT LIKE '%"%' AND address NOT LIKE '%\\%'
  HAVING count(*) > 0), '')
 WHERE office = 'bounced' AND bounced = '' AND note LIKE '%；退信：邮件未送达%，不是报送%'
   AND note NOT LIKE '%；退信：邮件未送达收件人，不是报送%';
"""))
# A month merged again after the office renamed the project (a new year's plan) or imported a plan
# that reorders its tasks keeps what its forms were made with: the name (QA386: December's 通报
# re-issued as 关于2027年民生实事2026年12月…), the plan's order of tasks and of each task's units
MIGRATIONS.append((25, "what a month's forms were made with besides their tasks: the name, the plan's order", """
ALTER TABLE issued ADD COLUMN project TEXT;       -- duban.toml's name printed on the form; NULL before version 25
ALTER TABLE issued_texts ADD COLUMN seq INTEGER;  -- its place in the plan the forms were made from; NULL before 25
ALTER TABLE issued_texts ADD COLUMN units TEXT;   -- JSON list of its units in that plan's order; NULL before 25
"""))
MIGRATIONS.sort(key=lambda m: m[0])

LATEST = MIGRATIONS[-1][0]
