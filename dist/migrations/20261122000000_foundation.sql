-- Identity tables owned by better-auth (https://www.better-auth.com/docs/concepts/database#core-schema).
-- Column names are better-auth's (camelCase); our own tables are snake_case.
create table auth_user (
  "id" text primary key,
  "name" text not null,
  "email" text not null unique,
  "emailVerified" boolean not null,
  "image" text,
  "createdAt" timestamptz not null default now(),
  "updatedAt" timestamptz not null default now()
);

create table auth_session (
  "id" text primary key,
  "expiresAt" timestamptz not null,
  "token" text not null unique,
  "createdAt" timestamptz not null default now(),
  "updatedAt" timestamptz not null,
  "ipAddress" text,
  "userAgent" text,
  "userId" text not null references auth_user ("id") on delete cascade
);
create index auth_session_user_idx on auth_session ("userId");

create table auth_account (
  "id" text primary key,
  "accountId" text not null,
  "providerId" text not null,
  "userId" text not null references auth_user ("id") on delete cascade,
  "accessToken" text,
  "refreshToken" text,
  "idToken" text,
  "accessTokenExpiresAt" timestamptz,
  "refreshTokenExpiresAt" timestamptz,
  "scope" text,
  "password" text,
  "createdAt" timestamptz not null default now(),
  "updatedAt" timestamptz not null
);
create index auth_account_user_idx on auth_account ("userId");

create table auth_verification (
  "id" text primary key,
  "identifier" text not null,
  "value" text not null,
  "expiresAt" timestamptz not null,
  "createdAt" timestamptz not null default now(),
  "updatedAt" timestamptz not null default now()
);
create index auth_verification_identifier_idx on auth_verification ("identifier");

create type workspace_role as enum ('owner', 'admin', 'member');

create table workspaces (
  id text primary key,
  name text not null check (length(name) between 1 and 100),
  timezone text not null default 'UTC',
  created_at timestamptz not null default now()
);

create table memberships (
  workspace_id text not null references workspaces (id) on delete cascade,
  user_id text not null references auth_user ("id") on delete cascade,
  role workspace_role not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
-- Every workspace has exactly one Owner, its creator (README.md, roles).
create unique index memberships_one_owner on memberships (workspace_id) where role = 'owner';
create index memberships_user_idx on memberships (user_id);

create table api_keys (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  name text not null,
  role workspace_role not null,
  secret_hash text not null,
  created_by_user_id text references auth_user ("id") on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_workspace_idx on api_keys (workspace_id);

create table invites (
  id text primary key,
  workspace_id text not null references workspaces (id) on delete cascade,
  role workspace_role not null check (role <> 'owner'),
  token_hash text not null unique,
  created_by_user_id text references auth_user ("id") on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by_user_id text references auth_user ("id") on delete set null,
  revoked_at timestamptz
);
create index invites_workspace_idx on invites (workspace_id);
