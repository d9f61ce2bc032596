import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';

/**
 * The address a request without a Node socket comes from (`app.request()` in tests, another runtime): such
 * requests share one sign-in bucket rather than escaping the limit.
 */
export const UNKNOWN_ADDRESS = 'unknown';

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

const parse = (entries: readonly string[]): Network[] =>
  entries.map((e): Network => {
    if (e.includes('/')) return ipaddr.parseCIDR(e);
    const a = ipaddr.process(e);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  });

const normalise = (address: string): string | undefined =>
  ipaddr.isValid(address) ? ipaddr.process(address).toString() : undefined;

const within = (address: string, networks: Network[]) => {
  const ip = ipaddr.process(address);
  return networks.some(([n, bits]) => n.kind() === ip.kind() && ip.match(n, bits));
};

/**
 * Who is calling: the socket's peer, or — when that peer is one of `DESKPULSE_TRUSTED_PROXIES` — the nearest
 * address in `X-Forwarded-For` that is not a trusted proxy itself (entries further left are the client's to
 * forge). IPv4-mapped IPv6 is reported as the IPv4 it carries.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[]): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  const socket = peer ? normalise(peer) : undefined;
  if (!socket) return UNKNOWN_ADDRESS;
  if (trustedProxies.length === 0) return socket;
  const trusted = parse(trustedProxies);
  if (!within(socket, trusted)) return socket;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => normalise(h.trim()))
    .filter((h): h is string => h !== undefined);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop && !within(hop, trusted)) return hop;
  }
  return socket;
}
