import { lookup as lookupCallback, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Agent } from 'undici';

/**
 * The SSRF guard of outgoing webhooks (docs/webhooks.md): only http(s), no credentials in the URL, and every
 * address the host resolves to must be public unicast unless an operator allow-lists its network. It runs at
 * registration (a clear error) and again at delivery, where the check happens inside the connection itself (the
 * Agent's `lookup`), so a host that resolves to a public address at registration and to a private one later (DNS
 * rebinding) is still refused. Ranges come from ipaddr.js; IPv4-mapped IPv6 is judged as the IPv4 it carries.
 */
export const ALLOW_LIST_VARIABLE = 'DESKPULSE_WEBHOOK_ALLOWED_NETWORKS';
export const DELIVERY_TIMEOUT_MS = 10_000;

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** `10.0.0.0/8`, `::1/128` or a bare address (a single host). Names the variable when an entry is malformed. */
export function parseNetworks(entries: readonly string[]): Network[] {
  return entries.map((entry): Network => {
    let network: Network;
    try {
      if (entry.includes('/')) network = ipaddr.parseCIDR(entry);
      else {
        const address = ipaddr.parse(entry);
        network = [address, address.kind() === 'ipv4' ? 32 : 128];
      }
    } catch {
      throw new Error(`${ALLOW_LIST_VARIABLE}: ${entry} is not an IP address or CIDR`);
    }
    const [address, bits] = network;
    // Addresses are judged as the IPv4 they carry, so an IPv4-mapped network must be too.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return network;
  });
}

/**
 * Why `address` may not be a webhook target: its ipaddr.js range (`loopback`, `private`, `linkLocal`, …), prefixed
 * with the IPv4 it carries when it is IPv4-mapped. Undefined when it may.
 */
export function refusedRange(address: string, networks: readonly Network[]): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return 'not an IP address';
  }
  // ipaddr.js calls some non-global IPv6 "unicast" (e.g. the deprecated IPv4-compatible ::/96, ::7f00:1 being
  // 127.0.0.1): only global unicast 2000::/3 counts as public for IPv6.
  const range =
    ip.kind() === 'ipv6' && ip.range() === 'unicast' && !ip.match(GLOBAL_UNICAST_V6)
      ? 'not global unicast'
      : ip.range();
  if (range === 'unicast') return undefined;
  const allowed = networks.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits));
  if (allowed) return undefined;
  return ip.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(address)
    ? `${ip.toString()}, ${range}`
    : range;
}

/** The first resolved address that is refused, as a message; undefined when all are allowed. */
function firstRefusal(host: string, addresses: readonly string[], networks: readonly Network[]) {
  for (const address of addresses) {
    const range = refusedRange(address, networks);
    if (range) {
      const subject = host === address ? 'webhook URL resolves to' : `webhook URL host ${host} resolves to`;
      return (
        `${subject} ${address} (${range}); deliveries go only to public addresses — ` +
        `allow it with ${ALLOW_LIST_VARIABLE}`
      );
    }
  }
  return undefined;
}

export type TargetCheck =
  | { ok: true; url: URL }
  /** `retryable`: the host did not resolve now (DNS can recover); everything else is a standing refusal. */
  | { ok: false; reason: string; retryable: boolean };

const errorCode = (e: unknown) =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'lookup failed';

/** Checks a webhook URL and every address its host resolves to now. */
export async function checkWebhookTarget(
  raw: string,
  allowedNetworks: readonly string[],
): Promise<TargetCheck> {
  const refuse = (reason: string): TargetCheck => ({ ok: false, reason, retryable: false });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('webhook URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse(`webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) return refuse('webhook URL must not contain a user name or password');
  const networks = parseNetworks(allowedNetworks);
  // WHATWG URL has already normalised odd IPv4 forms (http://2130706433/ → 127.0.0.1); IPv6 keeps its brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (e) {
    return {
      ok: false,
      retryable: true,
      reason: `webhook URL host ${host} does not resolve (${errorCode(e)})`,
    };
  }
  if (addresses.length === 0) {
    return { ok: false, retryable: true, reason: `webhook URL host ${host} does not resolve` };
  }
  const refused = firstRefusal(
    host,
    addresses.map((a) => a.address),
    networks,
  );
  return refused ? refuse(refused) : { ok: true, url };
}

/** Raised inside a connection attempt whose resolved address is refused. */
export class WebhookTargetRefused extends Error {
  override name = 'WebhookTargetRefused';
}

/**
 * An undici Agent whose every connection resolves its host through the guard. Node skips `lookup` for IP
 * literals, which is why `checkWebhookTarget` runs first for each delivery as well.
 */
export async function guardedAgent(allowedNetworks: readonly string[]): Promise<Agent> {
  // Loaded on first delivery, not at startup: undici costs ~80 ms to import and the API never needs it.
  const { Agent } = await import('undici');
  const networks = parseNetworks(allowedNetworks);
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookupCallback(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = firstRefusal(
        hostname,
        addresses.map((a) => a.address),
        networks,
      );
      if (refused) return callback(new WebhookTargetRefused(refused), []);
      const first = addresses[0];
      if (options.all) return callback(null, addresses);
      if (!first) return callback(new Error(`${hostname} did not resolve`), []);
      return callback(null, first.address, first.family);
    });
  };
  return new Agent({ connect: { lookup: guardedLookup } });
}

export type PostOutcome =
  | { kind: 'answered'; statusCode: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'network_error'; reason: string };

function describeFailure(e: unknown): PostOutcome {
  for (let cause: unknown = e; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof WebhookTargetRefused) return { kind: 'refused', reason: cause.message };
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') {
      return { kind: 'network_error', reason: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` };
    }
  }
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = errorCode(cause);
  return {
    kind: 'network_error',
    reason: code === 'lookup failed' || message.includes(code) ? message : `${code}: ${message}`,
  };
}

/**
 * One guarded POST: target checked, connection guarded, redirects not followed, 10 s for the whole exchange.
 * The response body is never read (receivers answer with anything; only the status counts).
 */
export async function postToWebhook(
  rawUrl: string,
  request: { headers: Record<string, string>; body: string },
  options: { allowedNetworks: readonly string[]; timeoutMs?: number },
): Promise<PostOutcome> {
  const target = await checkWebhookTarget(rawUrl, options.allowedNetworks);
  if (!target.ok) {
    return target.retryable
      ? { kind: 'network_error', reason: target.reason }
      : { kind: 'refused', reason: target.reason };
  }
  const agent = await guardedAgent(options.allowedNetworks);
  const { fetch } = await import('undici');
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      dispatcher: agent,
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    return { kind: 'answered', statusCode: res.status };
  } catch (e) {
    return describeFailure(e);
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
