-- Failed sign-ins, one row each, for the sliding-window limiter (src/domain/sign-in-guard.ts). A row is written
-- before the password is checked (so parallel guesses count against each other) and deleted when the sign-in
-- succeeds. `account_hash` is the SHA-256 of the normalised email, never the email; rows older than the window
-- are pruned.
create table sign_in_failures (
  id bigserial primary key,
  account_hash text not null,
  address text not null,
  at timestamptz not null default now()
);
create index sign_in_failures_account_idx on sign_in_failures (account_hash, at);
create index sign_in_failures_address_idx on sign_in_failures (address, at);
create index sign_in_failures_at_idx on sign_in_failures (at);

-- What an audit event was done to: an API key, an invite, a member, a webhook… (null for events about the
-- workspace or a connection, whose provider column says which).
alter table audit_events
  add column target_kind text,
  add column target_id text,
  add column target_label text;
create index audit_events_filter_idx on audit_events (workspace_id, action, id desc);

-- Who made a key: a person (their id and email at the time), another key, or Deskpulse itself (the CLI). The
-- kind and label survive the person or key being deleted.
alter table api_keys
  add column created_by_kind text check (created_by_kind in ('user', 'api_key', 'system')),
  add column created_by_api_key_id text,
  add column created_by_label text;
update api_keys k
  set created_by_kind = case when k.created_by_user_id is null then 'system' else 'user' end,
    created_by_label = coalesce(
      (select u.email from auth_user u where u."id" = k.created_by_user_id),
      'unknown (created before creators were recorded)'
    );
alter table api_keys
  alter column created_by_kind set not null,
  alter column created_by_label set not null;
