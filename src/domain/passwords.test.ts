import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/better-auth.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './passwords.ts';

describe('password policy', () => {
  it('ships a list of at least 10,000 common passwords', async () => {
    const { dictionary } = await import('@zxcvbn-ts/language-common');
    expect(dictionary['passwords-common'].length).toBeGreaterThanOrEqual(10_000);
  });

  it('keeps better-auth’s backstop equal to the policy', () => {
    expect([MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH]).toEqual([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]);
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([12, 256]);
  });

  it.each([
    ['short', 'aaaaaaaaaa', 'must be at least 12 characters'],
    ['11 characters', 'correcthors', 'must be at least 12 characters'],
    [
      '257 characters',
      'x'.repeat(200) + 'correct horse battery staple long'.repeat(2).slice(0, 57),
      'must be at most 256 characters',
    ],
    ['common', 'password1234', 'is too common: it is on a list of passwords that attackers try first'],
    [
      'common, any case',
      'QWERTYUIOP12',
      'is too common: it is on a list of passwords that attackers try first',
    ],
    [
      'common with digits added',
      'monkey123456789',
      'is too common: it is on a list of passwords that attackers try first',
    ],
    [
      'common with symbols added',
      '!!!sunshine!!!',
      'is too common: it is on a list of passwords that attackers try first',
    ],
    [
      'common, repeated',
      'dragondragon',
      'is too common: it is on a list of passwords that attackers try first',
    ],
    ['one character repeated', 'aaaaaaaaaaaa', 'must not repeat a few characters over and over'],
    ['a short run repeated', 'abcabcabcabc', 'must not repeat a few characters over and over'],
    ['a sequence', 'abcdefghijklm', 'must not be a run of consecutive characters'],
    ['a digit sequence that wraps', '789012345678', 'must not be a run of consecutive characters'],
    ['a descending sequence', 'zyxwvutsrqpo', 'must not be a run of consecutive characters'],
    ['the product', 'Deskpulse2026!', 'must not be the name of this service'],
  ])('refuses %s', async (_name, password, problem) => {
    expect(await passwordProblem(password, { email: 'ada@example.com' })).toBe(problem);
  });

  it('refuses the email and its name part, in any case', async () => {
    const email = 'ada.lovelace@example.com';
    for (const password of ['Ada.Lovelace@Example.com', 'ADA.LOVELACE', 'ada.lovelace2024']) {
      expect(await passwordProblem(password, { email })).toBe(
        'must not be your email address or its name part',
      );
    }
  });

  it('accepts long passphrases of any composition', async () => {
    for (const password of [
      'correct horse battery',
      'a long password',
      'ümlaut passphrase ☃',
      'my cat eats lasagne',
      'Tr0ub4dor&3xyz',
      'z'.repeat(255) + 'a',
    ]) {
      expect(await passwordProblem(password, { email: 'ada@example.com' }), password).toBeUndefined();
    }
  });
});
