import type { AuthConfig } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import * as memberships from '../db/repositories/memberships.ts';
import * as failures from '../db/repositories/sign-in-failures.ts';
import { AppError } from '../lib/app-error.ts';
import { sha256Hex } from '../lib/crypto.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit } from './audit.ts';

/**
 * Failed sign-ins are limited per account and per client address over a sliding window stored in Postgres, so
 * every API process counts the same failures (docs/authentication.md). The account is a hash of the normalised
 * email, whether or not an account has that email, so a 429 tells nothing about who has one. A refused attempt
 * costs no password hash.
 */
export interface SignInAttempt {
  id: string;
  key: failures.SignInKey;
}

/** SHA-256 of the normalised email, domain-separated: what logs, audit details and the limiter see. */
export const accountHashOf = (email: string) =>
  sha256Hex(`deskpulse/sign-in/v1|${email.trim().toLowerCase()}`);

export async function beginSignIn(
  deps: { db: Db; logger: Logger },
  limits: AuthConfig['signIn'],
  input: { email: string; address: string },
): Promise<SignInAttempt> {
  const key = { accountHash: accountHashOf(input.email), address: input.address };
  const reserved = await failures.reserveAttempt(deps.db, key, {
    windowSeconds: limits.windowSeconds,
    perAccount: limits.maxFailuresPerAccount,
    perAddress: limits.maxFailuresPerAddress,
  });
  if (reserved.ok) return { id: reserved.id, key };
  const retryAfterSeconds = Math.max(1, Math.ceil((reserved.retryAt.getTime() - Date.now()) / 1000));
  deps.logger.warn(
    { event: 'sign_in_rate_limited', emailHash: key.accountHash, address: key.address, by: reserved.by },
    'sign-in refused: too many failed attempts',
  );
  throw new AppError(
    'rate_limited',
    `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`,
    undefined,
    retryAfterSeconds,
  );
}

export async function signInSucceeded(db: Db, attempt: SignInAttempt): Promise<void> {
  await failures.forgiveAttempt(db, attempt.id, attempt.key);
}

/**
 * The attempt stays recorded as a failure. Logged with the email's hash and the address, never the email or the
 * password; when the email belongs to an account, each of its workspaces gets an `auth.sign_in_failed` audit
 * event naming the account, so its admins see who is being tried.
 */
export async function signInFailed(
  deps: { db: Db; logger: Logger },
  attempt: SignInAttempt,
  email: string,
): Promise<void> {
  deps.logger.warn(
    { event: 'sign_in_failed', emailHash: attempt.key.accountHash, address: attempt.key.address },
    'sign-in failed',
  );
  await auditEachWorkspace(deps.db, email, {
    actorLabel: `sign-in from ${attempt.key.address}`,
    action: 'auth.sign_in_failed',
    outcome: 'wrong_password',
  });
}

/**
 * An operator set the account's password (`deskpulse user set-password`): a lockout of the account lifts at once,
 * and each of its workspaces' audit logs says so.
 */
export async function recordPasswordSet(db: Db, email: string, actorLabel: string): Promise<void> {
  await failures.forgetAccountFailures(db, accountHashOf(email));
  await auditEachWorkspace(db, email, { actorLabel, action: 'auth.password_set', outcome: 'ok' });
}

/** An event about the account with this email, in the audit log of each workspace it belongs to (none: nothing). */
async function auditEachWorkspace(
  db: Db,
  email: string,
  event: { actorLabel: string; action: 'auth.sign_in_failed' | 'auth.password_set'; outcome: string },
): Promise<void> {
  const normalised = email.trim().toLowerCase();
  for (const m of await memberships.listMembershipsByEmail(db, normalised)) {
    await recordAudit(db, {
      workspaceId: m.workspaceId,
      actor: { kind: 'system', label: event.actorLabel },
      action: event.action,
      provider: null,
      outcome: event.outcome,
      target: { kind: 'user', id: m.userId, label: normalised },
    });
  }
}
