-- CSV imports (docs/csv-import.md, src/domain/imports.ts). An import is a source of its own; a later import of
-- the same format continues the previous one (continues_id) and supersedes it.
alter table metric_sources
  add column format text check (format in ('zendesk', 'intercom', 'front', 'generic')),
  -- The agent names a source's ticket digest refers to by index.
  add column agents jsonb,
  -- Completed weeks from the first one starting at or after this instant are complete in the source.
  add column covers_from timestamptz,
  add column continues_id text references metric_sources (id) on delete set null,
  -- The import that made an import source.
  add column import_id text,
  add check (kind = 'connection' or format is not null);

-- How a source measured a metric where it differs from docs/metrics.md (an export's precision or proxies).
alter table metric_snapshots add column notes jsonb not null default '{}';

-- One row per import attempt: what was read and what came of it. Never the file, never a row's text.
create table imports (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  source_id text references metric_sources (id) on delete set null,
  format text,
  state text not null check (state in ('succeeded', 'failed', 'dry_run')),
  file_name text,
  bytes bigint not null default 0,
  parts integer not null default 0,
  rows_read integer not null default 0,
  rows_accepted integer not null default 0,
  rows_rejected integer not null default 0,
  rows_duplicate integer not null default 0,
  timezone text,
  as_of timestamptz,
  period_from timestamptz,
  period_to timestamptz,
  metrics jsonb,
  not_measured jsonb,
  notes jsonb,
  -- The first 100 row errors: line, column, the kind of value, the reason. Never the value.
  row_errors jsonb not null default '[]',
  error_code text,
  error_message text,
  requested_by text not null,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index imports_workspace_idx on imports (workspace_id, created_at desc);

-- The per-ticket digest of an import source (src/imports/ledger.ts): packed numbers under a keyed hash of each
-- ticket id, in chunks, so a later import can count a ticket in both exports once. No text of any row.
create table import_ledger_chunks (
  -- Written while the file streams, before the import's source row exists; checked at commit.
  source_id text not null references metric_sources (id) on delete cascade deferrable initially deferred,
  seq integer not null,
  tickets integer not null,
  data bytea not null,
  primary key (source_id, seq)
);
-- Packed numbers do not compress; skip the attempt.
alter table import_ledger_chunks alter column data set storage external;
