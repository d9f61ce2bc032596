import { createRandom, type Random } from '../dataset/random.ts';

/**
 * Made-up but realistic free text for the CSV exports (requesters, subjects, remarks), derived from the
 * conversation id alone so every export of a dataset names the same person. Domains are under `.example`
 * (reserved: https://www.rfc-editor.org/rfc/rfc2606). The pools hold what parsers trip on: commas, `"`,
 * apostrophes, non-ASCII letters and, in remarks and message extracts only, LF and CRLF line breaks.
 */

export interface FakeRequester {
  name: string;
  email: string;
  company: string;
}

// prettier-ignore
const FIRST = [
  'José', 'Zoë', 'Łukasz', 'Siobhán', 'Mei', 'Aarav', 'Fatima', 'Noah', 'Emma', 'Oliver', 'Chiara', 'Kwame',
  'Ingrid', 'Tomás', 'Yuki', 'Priya', 'Sven', 'Amara',
];
// prettier-ignore
const LAST = [
  'Müller', "O'Brien", 'Nguyen', 'Smith', 'Kowalczyk', 'Dubois', 'Andersson', 'Mensah', 'García', 'Kim',
  'Rahman', 'Brown', 'Costa', 'Schmidt',
];
const COMPANIES = [
  { name: 'Northwind Traders', domain: 'northwind.example' },
  { name: 'Globex, Inc.', domain: 'globex.example' },
  { name: 'Initech', domain: 'initech.example' },
  { name: 'Umbrella Health', domain: 'umbrella.example' },
  { name: 'Stark & Wayne', domain: 'starkwayne.example' },
  { name: 'Vandelay Industries', domain: 'vandelay.example' },
  { name: '', domain: 'mail.example' },
];

const SUBJECTS = [
  'Cannot log in after password reset',
  'Invoice {n} shows the wrong VAT number',
  'Refund request, order {n}',
  'Export to "CSV" button does nothing',
  'Billing question: annual vs. monthly, which is cheaper?',
  'Add a second admin to our workspace',
  'The "Save" button is greyed out',
  'API returns 429, even at low volume',
  'How do I change the account owner?',
  'Webhook deliveries delayed by ~20 minutes',
  'Feature request: dark mode',
  'Reports show UTC, we are in Berlin',
  'Re: "Urgent" - dashboard down?',
  'Cancel my subscription',
  'SSO with Okta: SAML error "InResponseTo" mismatch',
  'Größe der Anhänge begrenzt?',
];

// Mostly empty: most ratings come without a comment.
const REMARKS = [
  '',
  '',
  '',
  '',
  'Quick and helpful, thanks!',
  'Solved it in one go.',
  'Took a while, but we got there in the end.',
  'Great support.\nWill recommend to the team.',
  'The answer was "just wait" - not helpful.',
  'Thanks, "Ben" was super patient,\nand followed up the next day.',
  'Still broken.\r\nSecond time I ask.',
  'Très rapide, merci !',
];

// `{s}`: the subject; `{n}`: the requester's first name.
const EXTRACTS = [
  'Hi,\n{s}\nCan you help?\n{n}',
  'Hello team,\n\n{s}\nIt started this morning.\n\nThanks, {n}',
  '{s} - any update?',
  'Hi, quick one: {s}',
];

const TAGS = ['billing', 'refund', 'login', 'bug', 'feature_request', 'api', 'sso', 'vip', 'churn_risk'];

/** FNV-1a of the id, with a salt so each kind of text is an independent draw. */
function hash(id: string, salt: string): number {
  let h = 2166136261;
  const text = `${salt}:${id}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const rngFor = (id: string, salt: string): Random => createRandom(hash(id, salt));

/** `José` → `jose`, `Łukasz` → `lukasz`, `O'Brien` → `obrien`. */
function asciiLocal(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export function fakeRequester(conversationId: string): FakeRequester {
  const rng = rngFor(conversationId, 'requester');
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const company = rng.pick(COMPANIES);
  return {
    name: `${first} ${last}`,
    email: `${asciiLocal(first)}.${asciiLocal(last)}@${company.domain}`,
    company: company.name,
  };
}

/** One line, never a line break: Zendesk's CSV export leaves multi-line text out. */
export function fakeSubject(conversationId: string): string {
  const rng = rngFor(conversationId, 'subject');
  return rng.pick(SUBJECTS).replace('{n}', `#${rng.int(10_000, 99_999)}`);
}

/** A rating comment, often empty; some span lines. */
export function fakeRemark(conversationId: string): string {
  return rngFor(conversationId, 'remark').pick(REMARKS);
}

/** The start of the customer's first message, about its subject; some span lines. */
export function fakeExtract(conversationId: string): string {
  const firstName = fakeRequester(conversationId).name.split(' ')[0] ?? '';
  return rngFor(conversationId, 'extract')
    .pick(EXTRACTS)
    .replace('{s}', fakeSubject(conversationId))
    .replace('{n}', firstName);
}

export function fakeTags(conversationId: string): string[] {
  const rng = rngFor(conversationId, 'tags');
  const count = rng.int(0, 3);
  const tags = new Set<string>();
  for (let i = 0; i < count; i++) tags.add(rng.pick(TAGS));
  return [...tags];
}

/** A stable pick from `items` for one conversation and purpose (group, channel, priority …). */
export function fakePick<T>(conversationId: string, purpose: string, items: readonly T[]): T {
  return rngFor(conversationId, purpose).pick(items);
}
