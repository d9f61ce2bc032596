import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { AppError } from '../lib/app-error.ts';
import { packageRoot } from '../lib/package-root.ts';
import { PROVIDER_IDS, type ProviderId } from '../metrics/helpdesks.ts';
import { oneLine, parseWith, unknownOptionIn } from './args.ts';

/*
 * Only commander, zod and the flag definitions load before a command runs: `--help` and argument errors answer
 * at once, and each command loads its own modules (and the configuration) when it runs.
 */
const context = async (kind?: 'service' | 'command') => (await import('./context.ts')).context(kind);

// Commands load their modules when they run: `--help` and small commands skip the server's dependencies.
const identity = () => import('./identity.ts');
const connections = () => import('./connections.ts');
const metrics = () => import('./metrics.ts');
const imports = () => import('./import.ts');
const serve = () => import('./serve.ts');

const { version } = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
  version: string;
};

const program = new Command('deskpulse')
  .description('Helpdesk metrics for support leads: server, worker and admin commands.')
  .version(version, '-V, --version', 'print the version')
  .exitOverride();

program
  .command('serve')
  .description(
    'Run the HTTP API and, unless --no-worker, the job worker (embedded Postgres unless DATABASE_URL is set)',
  )
  .option('--no-worker', 'serve the API only; run `deskpulse worker` processes for the jobs')
  .action(async (opts: { worker: boolean }) => (await serve()).runServe(await context('service'), opts));

program
  .command('worker')
  .description(
    'Run a job worker only (metrics refreshes, the crons, webhook deliveries); start as many as you like against one Postgres',
  )
  .option(
    '--metrics-port <port>',
    'also serve Prometheus metrics at http://HOST:<port>/metrics (same rule as /metrics/prometheus)',
    parseWith(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a port number (0-65535)')
        .transform(Number)
        .pipe(z.number().max(65535, 'must be a port number (0-65535)')),
    ),
  )
  .action(async (opts: { metricsPort?: number }) =>
    (await serve()).runWorker(await context('service'), opts),
  );

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => (await serve()).runMigrate(await context('service')));

const workspace = program.command('workspace').description('Manage workspaces');
workspace
  .command('list')
  .description('List every workspace in the database')
  .option('--json', 'print structured output ({"workspaces": [...]}, each as GET /workspace shows one)')
  .action(async (opts: { json?: boolean }) => (await identity()).runWorkspaceList(await context(), opts));
workspace
  .command('create')
  .description('Create a workspace and its Owner; prints a new owner API key on stdout')
  .requiredOption(
    '--name <name>',
    'workspace name',
    parseWith(z.string().trim().min(1, 'must not be empty').max(100)),
  )
  .requiredOption(
    '--owner-email <email>',
    "owner's email",
    parseWith(z.email('must be an email address').max(254)),
  )
  .option('--owner-name <name>', "owner's display name", parseWith(z.string().trim().min(1).max(100)))
  .option(
    '--owner-password-stdin',
    "read the owner's sign-in password from stdin (else the owner signs in with the key only)",
  )
  .option('--json', 'print structured output')
  .action(
    async (opts: {
      name: string;
      ownerEmail: string;
      ownerName?: string;
      ownerPasswordStdin?: boolean;
      json?: boolean;
    }) => (await identity()).runWorkspaceCreate(await context(), opts),
  );

const user = program.command('user').description('Manage the people who sign in');
user
  .command('set-password')
  .description(
    'Give a person a sign-in password, or a new one, read from stdin; signs out their sessions and lifts a sign-in lockout',
  )
  .requiredOption(
    '--email <email>',
    'the email they sign in with',
    parseWith(z.email('must be an email address').max(254)),
  )
  .option('--json', 'print structured output')
  .action(async (opts: { email: string; json?: boolean }) =>
    (await identity()).runUserSetPassword(await context(), opts),
  );

const apikey = program.command('apikey').description('Manage workspace API keys');
const workspaceOption = new Option(
  '--workspace <id>',
  'workspace id (optional when only one exists)',
).argParser(
  parseWith(
    z
      .string()
      .regex(/^ws_[0-9a-f]{20}$/, 'must be a workspace id: ws_ and 20 hex digits, as workspace list shows'),
  ),
);
apikey
  .command('create')
  .description('Create an API key; prints the key on stdout (shown once)')
  .addOption(
    new Option('--role <role>', 'role the key carries').choices(['admin', 'member']).makeOptionMandatory(),
  )
  .option('--name <name>', 'a label for the key', parseWith(z.string().trim().min(1).max(100)), 'cli')
  .addOption(workspaceOption)
  .option('--json', 'print structured output')
  .action(async (opts: { role: 'admin' | 'member'; name: string; workspace?: string; json?: boolean }) =>
    (await identity()).runApiKeyCreate(await context(), opts),
  );
apikey
  .command('list')
  .description("List a workspace's API keys (never their secrets)")
  .addOption(workspaceOption)
  .option('--json', 'print structured output')
  .action(async (opts: { workspace?: string; json?: boolean }) =>
    (await identity()).runApiKeyList(await context(), opts),
  );
apikey
  .command('revoke')
  .description('Revoke an API key by id')
  .argument(
    '<id>',
    'key id (key_…)',
    parseWith(
      z
        .string()
        .regex(/^key_[0-9a-f]{16}$/, 'must be a key id: key_ and 16 hex digits, as apikey list shows'),
    ),
  )
  .action(async (id: string) => (await identity()).runApiKeyRevoke(await context(), id));

const keys = program.command('keys').description('Manage the keyring that encrypts helpdesk credentials');
keys
  .command('rotate')
  .description(
    'Re-seal every secret (credentials, webhook secrets, OAuth states) under the current key (resumable, idempotent, safe while serving)',
  )
  .option('--new-key', 'first add a new current key to the data dir keyring (embedded setup only)')
  .action(async (opts: { newKey?: boolean }) => (await connections()).runKeysRotate(await context(), opts));
keys
  .command('retire')
  .description(
    'Remove an old key from the keyring; refused while any secret is still sealed under it (run keys rotate first)',
  )
  .argument(
    '<id>',
    'key id',
    parseWith(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must match [A-Za-z0-9_-]{1,32}')),
  )
  .action(async (id: string) => (await connections()).runKeysRetire(await context(), id));
keys
  .command('generate')
  .description('Print a new key as id:base64 for DESKPULSE_ENCRYPTION_KEYS (put it first)')
  .requiredOption(
    '--id <id>',
    'key id',
    parseWith(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must match [A-Za-z0-9_-]{1,32}')),
  )
  .action(async (opts: { id: string }) => (await connections()).runKeysGenerate(opts.id));

const connectionsCommand = program.command('connections').description('Helpdesk connections');
connectionsCommand
  .command('refresh-tokens')
  .description(
    'Refresh every OAuth access token that expires within 15 minutes (what the 5-minute token sweep does, by hand)',
  )
  .option('--json', 'print structured output')
  .action(async (opts: { json?: boolean }) => (await connections()).runRefreshTokens(await context(), opts));

program
  .command('refresh')
  .description(
    "Refresh a connection's metrics now in this process (progress bar), then print them; follows a refresh already in flight",
  )
  .addOption(new Option('--provider <provider>', 'helpdesk').choices([...PROVIDER_IDS]).makeOptionMandatory())
  .addOption(workspaceOption)
  .option('--json', 'print structured output')
  .action(async (opts: { provider: ProviderId; workspace?: string; json?: boolean }) =>
    (await metrics()).runRefreshCommand(await context(), opts),
  );

program
  .command('metrics')
  .description('Print the current metrics of every connected helpdesk')
  .addOption(workspaceOption)
  .option('--json', 'print structured output')
  .action(async (opts: { workspace?: string; json?: boolean }) =>
    (await metrics()).runMetricsCommand(await context(), opts),
  );

program
  .command('import')
  .description("Import a helpdesk's CSV export (.csv, .csv.gz or Zendesk's .zip) as a source of its own")
  .argument('<file>', 'the export file')
  .addOption(
    new Option('--format <format>', 'the export format (auto: from the headers)')
      .choices(['auto', 'zendesk', 'intercom', 'front', 'generic'])
      .default('auto'),
  )
  .option(
    '--timezone <tz>',
    'IANA timezone of times without an offset (required when the file does not say)',
    parseWith(z.string().min(1).max(64)),
  )
  .option(
    '--as-of <instant>',
    'when the export was taken (ISO 8601); default: the second after the latest time in the file',
  )
  .option('--dry-run', 'read, validate and compute; store nothing')
  .option('--strict', 'any rejected row rejects the whole file')
  .addOption(workspaceOption)
  .option('--json', 'print the import record (the body of GET /imports/:id)')
  .action(
    async (
      file: string,
      opts: {
        format: 'auto' | 'zendesk' | 'intercom' | 'front' | 'generic';
        timezone?: string;
        asOf?: string;
        dryRun?: boolean;
        strict?: boolean;
        workspace?: string;
        json?: boolean;
      },
    ) => (await imports()).runImportCommand(await context(), file, opts),
  );

const commandPath = (cmd: Command): string =>
  cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name();

(function configure(cmd: Command): void {
  const usage = `run \`${commandPath(cmd)} --help\` for usage`;
  cmd.exitOverride().configureOutput({
    outputError: (str, write) => write(`deskpulse: ${oneLine(str).replace(/\.$/, '')}; ${usage}\n`),
  });
  if (cmd.commands.length > 0) {
    // The parent's args are the subcommand's name, then exactly what the subcommand will parse.
    // Commander checks required options before unknown ones, so `refresh --provdier front` would say "--provider
    // not specified" instead of naming the typo: name it first. The parent's args are the subcommand's name, then
    // exactly what the subcommand parses.
    cmd.hook('preSubcommand', (parent, sub) => {
      if (sub.commands.length > 0) return;
      const unknown = unknownOptionIn(sub.createHelp().visibleOptions(sub), parent.args.slice(1));
      if (unknown) sub.error(`error: ${unknown}`, { code: 'commander.unknownOption' });
    });
  }
  cmd.commands.forEach(configure);
})(program);

/** What an AppError's details add to its message (which field, which rows), the first few: ` (a: why; b: why)`. */
function detailsOf(e: unknown, message: string): string {
  const said = (e instanceof AppError ? (e.details ?? []) : [])
    .filter((d) => !message.includes(d.message))
    .map((d) => `${d.path}: ${d.message}`);
  if (said.length === 0) return '';
  const more = said.length > 3 ? `; and ${said.length - 3} more` : '';
  return ` (${said.slice(0, 3).join('; ')}${more})`;
}

// Output nobody can take: a reader that went away (`| head`) ends the command quietly; anything else (a full
// disk) is one line, not an unhandled 'error' event's stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`deskpulse: error: cannot write the output: ${e.code ?? e.message}\n`);
  process.exit(1);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Commander has printed its own error (one line, above) or the help or version it was asked for.
  if (e instanceof CommanderError) process.exit(e.exitCode);
  // Configuration errors and expected failures (AppError) say what is wrong in their message; so does anything
  // else that reaches here, on one line.
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`deskpulse: error: ${oneLine(message + detailsOf(e, message))}\n`);
  process.exit(1);
}
