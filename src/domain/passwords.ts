import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../contracts/identity.ts';
import { AppError } from '../lib/app-error.ts';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/**
 * The one password policy, for everything that sets a password (sign-up, `deskpulse workspace create
 * --owner-password-stdin`, `deskpulse user set-password`), after OWASP ASVS 5.0 §6.2
 * (https://github.com/OWASP/ASVS/blob/master/5.0/en/0x15-V6-Authentication.md): at least 12 characters (6.2.1
 * asks for 8 and strongly recommends 15), up to 256 (6.2.9: at least 64), no composition rules (6.2.5), refused
 * when common (6.2.4) or built from the documented context words — the product's name and the user's own email
 * (6.1.2, 6.2.11; docs/authentication.md). NIST SP 800-63B (https://pages.nist.gov/800-63-3/sp800-63b.html,
 * §5.1.1.2) adds repetitive or sequential characters ("aaaaaa", "1234abcd") to what a blocklist should catch.
 *
 * The list is the 49,233 common passwords zxcvbn-ts ships in `@zxcvbn-ts/language-common`
 * (https://github.com/zxcvbn-ts/zxcvbn/tree/master/packages/languages/common), loaded once on first use. Few
 * of its entries have 12 characters, so a password is also refused when it is a listed one with digits or
 * symbols added at either end (`monkey12345!`), or one repeated (`monkeymonkey`): guessing tools extend such
 * lists exactly that way.
 */
let common: Promise<Set<string>> | undefined;
const commonPasswords = () =>
  (common ??= import('@zxcvbn-ts/language-common').then(
    (m) => new Set(m.dictionary['passwords-common'].map((p) => p.toLowerCase())),
  ));

/** Words a password must not be built from besides the list: the product's name and the user's email. */
const contextWords = (email: string | undefined): string[] => {
  const words = ['deskpulse'];
  if (email) {
    const lower = email.toLowerCase();
    words.push(lower);
    const local = lower.split('@')[0];
    if (local) words.push(local);
  }
  return words;
};

/** The password and what is left of it once digits and symbols at either end are stripped. */
const cores = (lower: string): string[] => {
  const stripped = lower.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '');
  return stripped && stripped !== lower ? [lower, stripped] : [lower];
};

/** 12 characters that are one short run repeated: "aaaaaaaaaaaa", "abcabcabcabc", "121212121212". */
const isRepetitive = (lower: string) => /^(.{1,4})\1+$/su.test(lower);

/** Every character one more (or one less) than the previous: "123456789012", "abcdefghijkl", "zyxwvu…". */
function isSequential(lower: string): boolean {
  const codes = [...lower].map((ch) => ch.codePointAt(0) ?? 0);
  const step = (a: number, b: number) => {
    // Digits wrap around: …7890123…
    if (a === 0x39 && b === 0x30) return 1;
    if (a === 0x30 && b === 0x39) return -1;
    return b - a;
  };
  const first = step(codes[0] ?? 0, codes[1] ?? 0);
  if (first !== 1 && first !== -1) return false;
  return codes.every((c, i) => i === 0 || step(codes[i - 1] ?? 0, c) === first);
}

/** What is wrong with `password`, as the end of a sentence starting "password …"; undefined when acceptable. */
export async function passwordProblem(
  password: string,
  context: { email?: string | undefined } = {},
): Promise<string | undefined> {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const candidates = cores(lower);
  const words = contextWords(context.email);
  if (candidates.some((c) => words.includes(c))) {
    return context.email && candidates.some((c) => c !== 'deskpulse' && words.includes(c))
      ? 'must not be your email address or its name part'
      : 'must not be the name of this service';
  }
  if (isRepetitive(lower)) return 'must not repeat a few characters over and over';
  if (isSequential(lower)) return 'must not be a run of consecutive characters';
  const list = await commonPasswords();
  const repeatedUnit = /^(.+?)\1+$/su.exec(lower)?.[1];
  if (candidates.some((c) => list.has(c)) || (repeatedUnit !== undefined && list.has(repeatedUnit))) {
    return 'is too common: it is on a list of passwords that attackers try first';
  }
  return undefined;
}

/** Throws `invalid_body` naming the `password` field when the policy refuses it. */
export async function assertAcceptablePassword(
  password: string,
  context: { email?: string | undefined } = {},
): Promise<void> {
  const problem = await passwordProblem(password, context);
  if (problem) {
    throw new AppError('invalid_body', `password ${problem}`, [{ path: 'password', message: problem }]);
  }
}
