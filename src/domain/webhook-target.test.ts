import { describe, expect, it } from 'vitest';
import { checkWebhookTarget, parseNetworks, refusedRange } from './webhook-target.ts';

/**
 * The SSRF guard's address classification, without a request: integration tests only ever register loopback
 * receivers (allow-listed), so what counts as public is pinned here.
 */
describe('webhook target classification', () => {
  const none = parseNetworks([]);

  it.each([
    ['1.1.1.1'],
    ['8.8.8.8'],
    ['93.184.216.34'],
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    // IPv4-mapped IPv6 is judged as the IPv4 it carries.
    ['::ffff:1.1.1.1'],
  ])('lets the public address %s through', (address) => {
    expect(refusedRange(address, none)).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['fd00::1', 'uniqueLocal'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::ffff:127.0.0.1', '127.0.0.1, loopback'],
    ['::ffff:10.0.0.1', '10.0.0.1, private'],
    ['::7f00:1', 'not global unicast'],
    ['64:ff9b::1.1.1.1', 'rfc6052'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address, none)).toBe(range);
  });

  it('names the IPv4 inside odd spellings', () => {
    expect(refusedRange('2130706433', none)).toBe('127.0.0.1, loopback');
    expect(refusedRange('0x7f.1', none)).toBe('127.0.0.1, loopback');
  });

  it('lets an allow-listed network through, and only that network', () => {
    const lo = parseNetworks(['127.0.0.1/32', '10.0.0.0/8', 'fd00::/8']);
    expect(refusedRange('127.0.0.1', lo)).toBeUndefined();
    expect(refusedRange('::ffff:127.0.0.1', lo)).toBeUndefined();
    expect(refusedRange('10.200.0.1', lo)).toBeUndefined();
    expect(refusedRange('fd12::1', lo)).toBeUndefined();
    expect(refusedRange('127.0.0.2', lo)).toBe('loopback');
    expect(refusedRange('192.168.0.1', lo)).toBe('private');
    expect(refusedRange('::1', lo)).toBe('loopback');
    // An IPv4-mapped network allows the IPv4 addresses it maps.
    expect(refusedRange('192.168.7.7', parseNetworks(['::ffff:192.168.0.0/112']))).toBeUndefined();
  });

  it('names the variable when an allow-list entry is malformed', () => {
    expect(() => parseNetworks(['10.0.0.0/33'])).toThrow(
      'DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: 10.0.0.0/33 is not an IP address or CIDR',
    );
  });

  it('checks IP-literal URLs without resolving anything', async () => {
    // Classification only: nothing is resolved or sent, here or anywhere a test runs. An IP literal is taken as
    // it is (the public ranges are pinned above without a URL); an allow-listed loopback one passes.
    await expect(checkWebhookTarget('http://127.0.0.1:9/hook', ['127.0.0.0/8'])).resolves.toMatchObject({
      ok: true,
    });
    await expect(checkWebhookTarget('http://[::ffff:7f00:1]/', [])).resolves.toEqual({
      ok: false,
      retryable: false,
      reason:
        'webhook URL resolves to ::ffff:7f00:1 (127.0.0.1, loopback); deliveries go only to public addresses — allow it with DESKPULSE_WEBHOOK_ALLOWED_NETWORKS',
    });
  });
});
