import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import * as users from '../db/repositories/users.ts';
import { AppError } from '../lib/app-error.ts';
import { assertAcceptablePassword } from './passwords.ts';
import { acceptInvite, findAcceptableInvite, type Invite } from './workspaces.ts';

/**
 * Who may create an account through `POST /auth/sign-up`. Invite-only by default (`DESKPULSE_SIGNUP=invite`):
 * the body must carry the token of a pending invite, and the new account joins that invite's workspace with its
 * role. `DESKPULSE_SIGNUP=open` lets anyone sign up (an invite is then optional). The first account of an
 * installation does not come through here: first-run setup creates it with its workspace.
 *
 * Returns the invite the new account will accept, or null when sign-up is open and none was given. Checked
 * before anything else, so a refused sign-up learns nothing about the email.
 */
export async function assertSignUpAllowed(
  db: Db,
  config: Pick<Config, 'signUp'>,
  inviteToken: string | undefined,
): Promise<Invite | null> {
  if (inviteToken !== undefined) return findAcceptableInvite(db, inviteToken);
  if (config.signUp === 'open') return null;
  throw new AppError(
    'signup_invite_required',
    'sign-up is by invitation: open the invite link a workspace admin sent you, or ask them for one',
  );
}

/** What creating the account did: `created` is false when the email already had one (nothing changed). */
export type CreateAccount = (input: {
  email: string;
  password: string;
  name: string;
}) => Promise<{ created: boolean; userId: string | null }>;

export const SIGNED_UP_MESSAGE =
  'If this email can be used, the account is ready: sign in with it. If you already had an account, sign in with your password and accept the invite from its link.';

/**
 * Sign-up as one step: policy, password rules, the account, and the invite it was given. Answers the same
 * whether or not the email already had an account, so it tells nobody who has one (OWASP ASVS 5.0 6.3.8); the
 * person signs in next either way. An existing account is left untouched and its invite stays pending, to be
 * accepted after signing in (`POST /invites/accept`).
 */
export async function signUp(
  deps: { db: Db; config: Pick<Config, 'signUp'> },
  input: { email: string; password: string; name: string; inviteToken?: string | undefined },
  createAccount: CreateAccount,
): Promise<{ next: 'sign_in'; message: string }> {
  const email = input.email.trim().toLowerCase();
  const invite = await assertSignUpAllowed(deps.db, deps.config, input.inviteToken);
  await assertAcceptablePassword(input.password, { email });
  const account = await createAccount({ email, password: input.password, name: input.name });
  if (account.created && account.userId && invite && input.inviteToken) {
    try {
      await acceptInvite(deps.db, { token: input.inviteToken, userId: account.userId, email });
    } catch (e) {
      // The invite was used or revoked between the check and now: the account stays, without the workspace.
      if (!(e instanceof AppError)) throw e;
    }
  }
  return { next: 'sign_in', message: SIGNED_UP_MESSAGE };
}

/** Whether `userId` is the account of `email` (an id better-auth returns for a taken email is made up). */
export async function isAccountOf(db: Db, email: string, userId: string): Promise<boolean> {
  return (await users.findUserByEmail(db, email))?.id === userId;
}
