import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('defaults to the embedded quick start on 127.0.0.1:3000 with sandbox on', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.deskpulse')).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.sandbox).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32,intranet' })).toThrow(
      /DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: must be comma-separated IP addresses or CIDRs/,
    );
    expect(() => loadConfig({ DESKPULSE_WORKER_CONCURRENCY: '0' })).toThrow(/DESKPULSE_WORKER_CONCURRENCY/);
    expect(() => loadConfig({ DESKPULSE_METRICS_TOKEN: 'short' })).toThrow(/DESKPULSE_METRICS_TOKEN/);
  });

  it('is invite-only with sign-in limits by default, and reads the auth settings', () => {
    expect(loadConfig({}).signUp).toBe('invite');
    expect(loadConfig({}).auth).toEqual({
      signIn: { windowSeconds: 900, maxFailuresPerAccount: 10, maxFailuresPerAddress: 50 },
      trustedProxies: [],
    });
    const c = loadConfig({
      DESKPULSE_SIGNUP: 'open',
      DESKPULSE_SIGNIN_WINDOW_SECONDS: '60',
      DESKPULSE_SIGNIN_MAX_FAILURES_PER_ACCOUNT: '3',
      DESKPULSE_SIGNIN_MAX_FAILURES_PER_ADDRESS: '7',
      DESKPULSE_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
    });
    expect(c.signUp).toBe('open');
    expect(c.auth).toEqual({
      signIn: { windowSeconds: 60, maxFailuresPerAccount: 3, maxFailuresPerAddress: 7 },
      trustedProxies: ['10.0.0.0/8', '::1'],
    });
    expect(() => loadConfig({ DESKPULSE_SIGNUP: 'yes' })).toThrow(/DESKPULSE_SIGNUP/);
    expect(() => loadConfig({ DESKPULSE_SIGNIN_WINDOW_SECONDS: '0' })).toThrow(
      /DESKPULSE_SIGNIN_WINDOW_SECONDS/,
    );
    expect(() => loadConfig({ DESKPULSE_TRUSTED_PROXIES: 'proxy.local' })).toThrow(
      /DESKPULSE_TRUSTED_PROXIES/,
    );
  });

  it('reads the job and webhook settings', () => {
    const c = loadConfig({
      DESKPULSE_SCHEDULER: '0',
      DESKPULSE_WORKER_CONCURRENCY: '12',
      DESKPULSE_WEBHOOK_ALLOWED_NETWORKS: ' 127.0.0.1/32 , ::1 ',
    });
    expect(c.jobs).toMatchObject({
      scheduler: false,
      concurrency: 12,
      leaseSeconds: 1800,
      heartbeatTimeoutSeconds: 120,
      degradedAfterDays: 3,
    });
    expect(c.webhooks.allowedNetworks).toEqual(['127.0.0.1/32', '::1']);
  });

  it('reads the liveness and heartbeat limits', () => {
    expect(loadConfig({}).health).toEqual({ databaseUnhealthyAfterSeconds: 30 });
    const c = loadConfig({
      DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS: '4',
      DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS: '2.5',
    });
    expect(c.health.databaseUnhealthyAfterSeconds).toBe(4);
    expect(c.jobs.heartbeatTimeoutSeconds).toBe(2.5);
    expect(() => loadConfig({ DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS: '0' })).toThrow(
      /DESKPULSE_DB_UNHEALTHY_AFTER_SECONDS/,
    );
    expect(() => loadConfig({ DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS: 'soon' })).toThrow(
      /DESKPULSE_REFRESH_HEARTBEAT_TIMEOUT_SECONDS/,
    );
  });

  it('requires a session secret in production with an external database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db' })).toThrow(
      /DESKPULSE_AUTH_SECRET/,
    );
  });

  it('never runs the sandbox in production, even when asked', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://h/db',
      DESKPULSE_AUTH_SECRET: 'x'.repeat(40),
      DESKPULSE_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      DESKPULSE_SANDBOX: '1',
    });
    expect(c.sandbox).toBe(false);
  });

  it('treats empty values as unset and trims the public URL', () => {
    const c = loadConfig({ PORT: '', DESKPULSE_PUBLIC_URL: 'https://metrics.example.com/' });
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('https://metrics.example.com');
  });
});

describe('provider configuration', () => {
  it('reads each provider under its own env prefix', () => {
    const c = loadConfig({
      FRONT_CLIENT_ID: 'fid',
      FRONT_CLIENT_SECRET: 'fsecret',
      ZENDESK_API_BASE_URL: 'http://127.0.0.1:9/{subdomain}',
      PLAIN_OAUTH_BASE_URL: 'https://auth.plain.example/',
    });
    expect(c.providers.front).toEqual({
      clientId: 'fid',
      clientSecret: 'fsecret',
      oauthBaseUrl: undefined,
      apiBaseUrl: undefined,
    });
    expect(c.providers.zendesk.apiBaseUrl).toBe('http://127.0.0.1:9/{subdomain}');
    expect(c.providers.plain.oauthBaseUrl).toBe('https://auth.plain.example');
    expect(c.providers.intercom.clientId).toBeUndefined();
  });

  it('refuses a Zendesk base URL without {subdomain} and non-http URLs', () => {
    expect(() => loadConfig({ ZENDESK_API_BASE_URL: 'https://acme.zendesk.com' })).toThrow(
      /ZENDESK_API_BASE_URL: must contain \{subdomain\}/,
    );
    expect(() => loadConfig({ FRONT_API_BASE_URL: 'ftp://x' })).toThrow(/FRONT_API_BASE_URL/);
  });

  it('requires encryption keys in production with an external database', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://h/db',
        DESKPULSE_AUTH_SECRET: 'x'.repeat(40),
      }),
    ).toThrow(/DESKPULSE_ENCRYPTION_KEYS/);
  });
});
