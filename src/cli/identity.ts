import { toApiKeyDto, toWorkspaceDto } from '../contracts/identity.ts';
import { createAuth } from '../auth/better-auth.ts';
import { openDatabase, type OpenedDatabase } from '../db/open.ts';
import { findUserByEmail } from '../db/repositories/users.ts';
import * as apiKeys from '../domain/api-keys.ts';
import { passwordProblem } from '../domain/passwords.ts';
import { recordPasswordSet } from '../domain/sign-in-guard.ts';
import { createWorkspace, listWorkspaces } from '../domain/workspaces.ts';
import { AppError } from '../lib/app-error.ts';
import type { CliContext } from './context.ts';

async function withDatabase<T>(ctx: CliContext, fn: (db: OpenedDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(ctx.config, ctx.logger, { create: false });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * A password read from stdin, held to the policy of sign-up (src/domain/passwords.ts): refused as
 * "the <what> must be at least 12 characters".
 */
async function passwordFromStdin(email: string, what: string): Promise<string> {
  const password = await readStdin();
  const problem = await passwordProblem(password, { email });
  if (problem) throw new AppError('invalid_body', `the ${what} ${problem}`);
  return password;
}

/** better-auth on the database this command opened (its own pool), as the server runs it. */
const authOf = (ctx: CliContext, database: OpenedDatabase) =>
  createAuth({
    pool: database.pool,
    secret: database.authSecret,
    publicUrl: ctx.config.publicUrl,
    logger: ctx.logger,
  });

const print = (json: boolean | undefined, value: unknown, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

export async function runWorkspaceCreate(
  ctx: CliContext,
  opts: {
    name: string;
    ownerEmail: string;
    ownerName?: string;
    ownerPasswordStdin?: boolean;
    json?: boolean;
  },
): Promise<void> {
  const email = opts.ownerEmail.toLowerCase();
  const password = opts.ownerPasswordStdin ? await passwordFromStdin(email, 'owner password') : undefined;
  await withDatabase(ctx, async (database) => {
    const auth = authOf(ctx, database);
    let user = await findUserByEmail(database.db, email);
    if (user && password !== undefined) {
      throw new AppError(
        'conflict',
        `${email} already has an account: omit --owner-password-stdin, or give it a new password with ` +
          'deskpulse user set-password',
      );
    }
    if (!user) {
      const name = opts.ownerName ?? email.split('@')[0] ?? email;
      if (password !== undefined) {
        await auth.api.signUpEmail({ body: { email, password, name } });
      } else {
        // A person without a password yet: they act through the key until they are given one.
        const authContext = await auth.$context;
        await authContext.internalAdapter.createUser(
          { email, name, emailVerified: false },
          { method: 'admin' },
        );
      }
      user = await findUserByEmail(database.db, email);
      if (!user) throw new Error('user was not created');
    }
    const workspace = await createWorkspace(database.db, { name: opts.name, ownerUserId: user.id });
    const { apiKey, secret } = await apiKeys.createApiKey(database.db, {
      workspaceId: workspace.id,
      name: 'owner (cli)',
      role: 'owner',
      createdBy: { kind: 'system', label: 'deskpulse workspace create' },
    });
    print(
      opts.json,
      {
        workspace: toWorkspaceDto(workspace),
        owner: { id: user.id, email: user.email },
        apiKey: { ...toApiKeyDto(apiKey), key: secret },
      },
      secret,
    );
  });
}

/**
 * `deskpulse user set-password --email E`: gives a person a sign-in password, read from stdin, or a new one — the
 * owner `workspace create` made with a key only, or someone locked out or who forgot theirs. Whoever can run it
 * can read the database already, so it asks for nothing else. The policy is sign-up's; every session of the
 * person ends (a password reset ends the sessions it might be meant to stop), and a sign-in lockout lifts.
 */
export async function runUserSetPassword(
  ctx: CliContext,
  opts: { email: string; json?: boolean },
): Promise<void> {
  const email = opts.email.toLowerCase();
  if (process.stdin.isTTY) {
    // Typed at a terminal it would be shown as it is typed, and kept in the scrollback.
    throw new AppError(
      'invalid_body',
      `pipe the password on stdin: printf '%s\\n' '…' | deskpulse user set-password --email ${email}`,
    );
  }
  const password = await passwordFromStdin(email, 'password');
  await withDatabase(ctx, async (database) => {
    const user = await findUserByEmail(database.db, email);
    if (!user) {
      throw new AppError(
        'not_found',
        `no account has the email ${email}: deskpulse workspace create makes one, or invite them from the dashboard`,
      );
    }
    const auth = authOf(ctx, database);
    const context = await auth.$context;
    const hash = await context.password.hash(password);
    const had = await context.internalAdapter.findCredentialAccount(user.id);
    const changed = Boolean(had);
    if (changed) await context.internalAdapter.updatePassword(user.id, hash);
    else {
      // As better-auth's own sign-up links a password: the credential account, keyed by the user's id.
      await context.internalAdapter.linkAccount({
        userId: user.id,
        providerId: 'credential',
        accountId: user.id,
        password: hash,
      });
    }
    await recordPasswordSet(database.db, email, 'deskpulse user set-password');
    // Last, so that a sign-in that checked the old password just before it changed has least time to keep its
    // session. (An API process may still answer a session it had cached, for up to 500 ms: docs/operations.md.)
    await context.internalAdapter.deleteUserSessions(user.id);
    print(
      opts.json,
      { user: { id: user.id, email: user.email }, changed },
      changed
        ? `${email}: password changed; their sessions are signed out`
        : `${email}: password set; they can sign in to the dashboard`,
    );
  });
}

/** Rows as aligned columns, two spaces apart, a line each. */
function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export async function runWorkspaceList(ctx: CliContext, opts: { json?: boolean }): Promise<void> {
  await withDatabase(ctx, async (database) => {
    const workspaces = (await listWorkspaces(database.db)).map(toWorkspaceDto);
    // Each workspace as GET /workspace shows one, under `workspaces`.
    if (opts.json) return print(true, { workspaces }, '');
    if (workspaces.length === 0) {
      process.stdout.write('no workspace yet: run `deskpulse workspace create`\n');
      return;
    }
    process.stdout.write(columns(workspaces.map((w) => [w.id, w.name, w.timezone, w.createdAt])));
  });
}

export async function resolveWorkspace(
  database: OpenedDatabase,
  requested: string | undefined,
): Promise<string> {
  if (requested) {
    const found = await database.db
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', requested)
      .executeTakeFirst();
    if (!found) throw new AppError('not_found', `no workspace ${requested}`);
    return found.id;
  }
  const all = await database.db.selectFrom('workspaces').select('id').limit(2).execute();
  if (all.length === 1 && all[0]) return all[0].id;
  throw new AppError(
    'invalid_body',
    all.length === 0
      ? 'no workspace exists yet: run `deskpulse workspace create`'
      : 'several workspaces exist: pass --workspace <id>',
  );
}

export async function runApiKeyCreate(
  ctx: CliContext,
  opts: { role: 'admin' | 'member'; name: string; workspace?: string; json?: boolean },
): Promise<void> {
  await withDatabase(ctx, async (database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const { apiKey, secret } = await apiKeys.createApiKey(database.db, {
      workspaceId,
      name: opts.name,
      role: opts.role,
      createdBy: { kind: 'system', label: 'deskpulse apikey create' },
    });
    print(
      opts.json,
      // The body of POST /apikeys.
      { ...toApiKeyDto(apiKey), key: secret },
      secret,
    );
  });
}

export async function runApiKeyList(
  ctx: CliContext,
  opts: { workspace?: string; json?: boolean },
): Promise<void> {
  await withDatabase(ctx, async (database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const keys = await apiKeys.listApiKeys(database.db, workspaceId);
    const rows = keys.map(toApiKeyDto);
    // The body of GET /apikeys.
    if (opts.json) return print(true, { apiKeys: rows }, '');
    if (rows.length === 0) {
      process.stdout.write('no API key in this workspace: run `deskpulse apikey create`\n');
      return;
    }
    process.stdout.write(
      columns([
        ['ID', 'NAME', 'ROLE', 'CREATED BY', 'CREATED', 'LAST USED', 'REVOKED'],
        ...rows.map((r) => [
          r.id,
          r.name,
          r.role,
          `${r.createdBy.label}${r.createdBy.isActive ? '' : ' (gone)'}`,
          r.createdAt,
          r.lastUsedAt ?? '—',
          r.revokedAt ?? '—',
        ]),
      ]),
    );
  });
}

export async function runApiKeyRevoke(ctx: CliContext, id: string): Promise<void> {
  await withDatabase(ctx, async (database) => {
    const key = await apiKeys.revokeApiKeyById(database.db, id);
    process.stdout.write(
      key.revokedAt === null
        ? `revoked ${key.id} (${key.name}, ${key.role})\n`
        : `${key.id} (${key.name}, ${key.role}) was already revoked, at ${key.revokedAt.toISOString()}\n`,
    );
  });
}
