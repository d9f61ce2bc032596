import {
  createApiKey,
  createWorkspace,
  findUserByEmail,
  listApiKeys,
  revokeApiKeyById,
  toApiKeyDto,
  toWorkspaceDto,
} from './chunk-WD5DCS6Y.js';
import { createAuth } from './chunk-YP73SNSN.js';
import { AppError, openDatabase } from './chunk-KYBJ2MGV.js';

// src/cli/identity.ts
async function withDatabase(ctx, fn) {
  const database = await openDatabase(ctx.config, ctx.logger);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
var print = (json, value, text) =>
  process.stdout.write(
    json
      ? `${JSON.stringify(value, null, 2)}
`
      : `${text}
`,
  );
async function runWorkspaceCreate(ctx, opts) {
  const password = opts.ownerPasswordStdin ? await readStdin() : void 0;
  if (password !== void 0 && (password.length < 10 || password.length > 256)) {
    throw new AppError('invalid_body', 'the owner password must be 10 to 256 characters');
  }
  const email = opts.ownerEmail.toLowerCase();
  await withDatabase(ctx, async (database) => {
    const auth = createAuth({
      pool: database.pool,
      secret: database.authSecret,
      publicUrl: ctx.config.publicUrl,
      logger: ctx.logger,
    });
    let user = await findUserByEmail(database.db, email);
    if (user && password !== void 0) {
      throw new AppError('conflict', `${email} already has an account; omit --owner-password-stdin`);
    }
    if (!user) {
      const name = opts.ownerName ?? email.split('@')[0] ?? email;
      if (password !== void 0) {
        await auth.api.signUpEmail({ body: { email, password, name } });
      } else {
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
    const { apiKey, secret } = await createApiKey(database.db, {
      workspaceId: workspace.id,
      name: 'owner (cli)',
      role: 'owner',
      createdByUserId: user.id,
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
async function resolveWorkspace(database, requested) {
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
async function runApiKeyCreate(ctx, opts) {
  await withDatabase(ctx, async (database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const { apiKey, secret } = await createApiKey(database.db, {
      workspaceId,
      name: opts.name,
      role: opts.role,
      createdByUserId: null,
    });
    print(
      opts.json,
      // The body of POST /apikeys.
      { ...toApiKeyDto(apiKey), key: secret },
      secret,
    );
  });
}
async function runApiKeyList(ctx, opts) {
  await withDatabase(ctx, async (database) => {
    const workspaceId = await resolveWorkspace(database, opts.workspace);
    const keys = await listApiKeys(database.db, workspaceId);
    const rows = keys.map(toApiKeyDto);
    if (opts.json) return print(true, { apiKeys: rows }, '');
    console.table(rows.map((r) => ({ ...r, revokedAt: r.revokedAt ?? '', lastUsedAt: r.lastUsedAt ?? '' })));
  });
}
async function runApiKeyRevoke(ctx, id) {
  await withDatabase(ctx, async (database) => {
    const key = await revokeApiKeyById(database.db, id);
    process.stdout.write(`revoked ${key.id} (${key.name}, ${key.role})
`);
  });
}

export { runWorkspaceCreate, resolveWorkspace, runApiKeyCreate, runApiKeyList, runApiKeyRevoke };
//# sourceMappingURL=chunk-RJENAUR4.js.map
