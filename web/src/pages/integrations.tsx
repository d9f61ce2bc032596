import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import type { ConnectionInfo, ProviderInfo } from '../../../src/contracts/integrations.ts';
import type { RefreshDto } from '../../../src/contracts/metrics.ts';
import { api, errorText } from '../api.ts';
import { Confirm, Dialog } from '../components/dialog.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { dateTime, relative } from '../format.ts';
import { canWrite, useMe } from '../session.ts';
import { useConnections, useMetrics } from './overview.tsx';

/** Help text with its https:// addresses as links (a helpdesk's own page on where to find the token). */
function Linked({ text }: { text: string }) {
  return (
    <>
      {text.split(/(https:\/\/[^\s)]+)/).map((part, i) =>
        i % 2 === 1 ? (
          <a key={part} href={part} target="_blank" rel="noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** What the OAuth callback's error codes mean, in words a person can act on. */
function callbackMessage(helpdesk: string, error: string): string {
  switch (error) {
    case 'not_signed_in':
      return `You were not signed in when ${helpdesk} sent you back: sign in, then press Connect again.`;
    case 'invalid_state':
      return 'That connection attempt expired or was already used: press Connect again.';
    case 'access_denied':
      return `Access was declined at ${helpdesk}: nothing was connected.`;
    case 'forbidden':
      return 'Only owners and admins can connect a helpdesk.';
    case 'credential_rejected':
      return `${helpdesk} did not accept the authorization: press Connect again.`;
    case 'upstream_error':
      return `${helpdesk} could not be reached: try again in a few minutes.`;
    case 'provider_not_configured':
      return `OAuth for ${helpdesk} is not configured on this server: use an API token instead.`;
    default:
      return `The connection to ${helpdesk} failed (${error}).`;
  }
}

/** The connection's last problem, and what fixes it. */
function problemOf(c: ConnectionInfo, helpdesk: string): string | null {
  if (c.status === 'needs_reauth') return `${helpdesk} rejected the credential — reconnect ${helpdesk}.`;
  if (c.status === 'degraded') {
    return `Refreshes have failed since ${c.schedule.failingSince ? dateTime(c.schedule.failingSince) : 'days ago'}: Deskpulse tries once a day until one succeeds, or reconnect.`;
  }
  switch (c.lastRefreshStatus) {
    case 'unauthorized':
      return `${helpdesk} rejected the credential — reconnect ${helpdesk}.`;
    case 'rate_limited':
      return `${helpdesk} is rate limiting Deskpulse — the refresh is retried after the limit resets.`;
    case 'upstream_unavailable':
      return `${helpdesk} was unavailable — Deskpulse retries with backoff; nothing to do unless it lasts.`;
    case 'unexpected_response':
      return `${helpdesk} answered in a way Deskpulse does not understand — the previous numbers are kept; this needs an update of Deskpulse.`;
    default:
      return null;
  }
}

function Pill({
  c,
  sandbox,
  disconnected,
}: {
  c: ConnectionInfo | undefined;
  sandbox: boolean;
  disconnected: boolean;
}) {
  const [text, tone] = !c
    ? disconnected
      ? ['Disconnected', 'neutral']
      : ['Not connected', 'neutral']
    : c.status === 'needs_reauth'
      ? ['Needs re-auth', 'bad']
      : c.status === 'degraded'
        ? ['Degraded', 'warn']
        : c.sandbox || sandbox
          ? ['Sandbox', 'info']
          : ['Connected', 'good'];
  return <span className={`pill pill-${tone}`}>{text}</span>;
}

function TokenDialog({ provider, onDone }: { provider: ProviderInfo; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const connect = useMutation({
    mutationFn: () =>
      api<ConnectionInfo>(`/integrations/${provider.id}/token`, {
        method: 'POST',
        json: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')),
      }),
    onSuccess: () => {
      setOpen(false);
      setValues({});
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    connect.mutate();
  };
  return (
    <>
      <button type="button" className="button button-quiet" onClick={() => setOpen(true)}>
        Use an API token instead
      </button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Connect ${provider.displayName} with an API token`}
        description="Deskpulse checks it with the helpdesk before keeping it, encrypted. It is never shown again."
      >
        <form onSubmit={submit} className="form">
          {provider.sandboxToken && (
            <p className="muted">
              This server runs a demo {provider.displayName}.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => setValues({ ...provider.sandboxToken })}
              >
                Fill in its demo token
              </button>
            </p>
          )}
          {provider.tokenFields.map((f) => (
            <label key={f.name} className="field">
              <span>
                {f.label}
                {f.required ? '' : ' (optional)'}
              </span>
              {f.kind === 'choice' ? (
                <select
                  value={values[f.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                >
                  <option value="">Default</option>
                  {(f.choices ?? []).map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              ) : (
                <input
                  type={f.kind === 'secret' ? 'password' : f.kind === 'email' ? 'email' : 'text'}
                  autoComplete="off"
                  required={f.required}
                  value={values[f.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                />
              )}
              <small>
                <Linked text={f.help} />
              </small>
            </label>
          ))}
          {connect.error && <Notice tone="error">{errorText(connect.error, connect.error.message)}</Notice>}
          <button type="submit" className="button" disabled={connect.isPending}>
            {connect.isPending ? 'Checking…' : 'Verify and connect'}
          </button>
        </form>
      </Dialog>
    </>
  );
}

function ConnectButton({
  provider,
  label,
  quiet,
}: {
  provider: ProviderInfo;
  label: string;
  quiet: boolean;
}) {
  const look = quiet ? 'button button-quiet' : 'button';
  const [open, setOpen] = useState(false);
  const [params, setParams] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setError(null);
    try {
      // An optional field left empty (or emptied) is not sent: the server would read it as a value.
      const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
      const { authorizeUrl } = await api<{ authorizeUrl: string }>(
        `/integrations/${provider.id}/start${q ? `?${q}` : ''}`,
      );
      window.location.assign(authorizeUrl);
    } catch (e) {
      setError(errorText(e, 'could not start the connection'));
    }
  };
  if (!provider.oauth.available) {
    return <p className="muted">OAuth needs {provider.oauth.missing} on the server.</p>;
  }
  if (provider.params.length === 0) {
    return (
      <>
        <button type="button" className={look} onClick={() => void start()}>
          {label}
        </button>
        {error && <Notice tone="error">{error}</Notice>}
      </>
    );
  }
  return (
    <>
      <button type="button" className={look} onClick={() => setOpen(true)}>
        {label}
      </button>
      <Dialog open={open} onOpenChange={setOpen} title={`Connect ${provider.displayName}`}>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {provider.params.map((p) => (
            <label key={p.name} className="field">
              <span>
                {p.name[0]?.toUpperCase() + p.name.slice(1)}
                {p.required ? '' : ' (optional)'}
              </span>
              <input
                required={p.required}
                // No `pattern` attribute: browsers compile it with the `v` flag, which the server's patterns are
                // not written for. The server checks it and its message is shown here.
                aria-invalid={error !== null}
                value={params[p.name] ?? ''}
                onChange={(e) => setParams({ ...params, [p.name]: e.target.value.trim() })}
              />
              <small>{p.description}</small>
            </label>
          ))}
          {error && <Notice tone="error">{error}</Notice>}
          <button type="submit" className="button">
            Continue to {provider.displayName}
          </button>
        </form>
      </Dialog>
    </>
  );
}

function RefreshNow({
  provider,
  autoStart,
  onDone,
}: {
  provider: ProviderInfo;
  autoStart: boolean;
  onDone: () => void;
}) {
  const [refreshId, setRefreshId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useQuery({
    queryKey: ['refresh', refreshId],
    enabled: refreshId !== null,
    queryFn: () => api<RefreshDto>(`/refreshes/${refreshId}`),
    refetchInterval: (q) => {
      const state = q.state.data?.state;
      return state === 'succeeded' || state === 'failed' ? false : 500;
    },
  });
  const state = refresh.data?.state;
  const running = refreshId !== null && state !== 'succeeded' && state !== 'failed';
  const finished = state === 'succeeded' || state === 'failed';
  // Tell the page once per refresh, when it ends: the numbers and the connection's times changed.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (finished && told.current !== refreshId) {
      told.current = refreshId;
      onDone();
    }
  }, [finished, refreshId, onDone]);
  const start = async () => {
    setError(null);
    try {
      const { refreshId: id } = await api<{ refreshId: string }>(`/integrations/${provider.id}/refresh`, {
        method: 'POST',
      });
      setRefreshId(id);
    } catch (e) {
      setError(errorText(e, 'could not start the refresh'));
    }
  };
  // A helpdesk just connected: its first refresh starts now, with its progress shown, rather than at the next
  // scheduler tick.
  const autoStarted = useRef(false);
  useEffect(() => {
    if (autoStart && !autoStarted.current) {
      autoStarted.current = true;
      void start();
    }
  });
  const p = refresh.data?.progress;
  return (
    <div className="refresh">
      <button type="button" className="button" onClick={() => void start()} disabled={running}>
        {running ? 'Refreshing…' : 'Refresh now'}
      </button>
      {refreshId !== null && (
        <div className="progress-line" aria-live="polite">
          {running ? (
            <>
              <progress
                max={p?.total ?? undefined}
                value={p?.total ? p.done : undefined}
                aria-label={`Refreshing ${provider.displayName}`}
              />
              <span>
                {state === 'retrying' ? 'retrying after a helpdesk error' : `${p?.done ?? 0} calls`}
                {p?.total ? ` of ${p.total}` : ''}
              </span>
            </>
          ) : state === 'succeeded' ? (
            <span className="ok-text">Refreshed: the numbers are up to date.</span>
          ) : state === 'failed' ? (
            <span className="bad-text">Refresh failed: {refresh.data?.error?.message}</span>
          ) : null}
        </div>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}

const INTERVALS = [5, 10, 15, 30, 60, 120, 240, 720, 1440];

function IntervalSelect({
  c,
  provider,
  onDone,
}: {
  c: ConnectionInfo;
  provider: ProviderInfo;
  onDone: () => void;
}) {
  const set = useMutation({
    mutationFn: (minutes: number | null) =>
      api<ConnectionInfo>(`/integrations/connections?provider=${provider.id}`, {
        method: 'PATCH',
        json: { refreshIntervalMinutes: minutes },
      }),
    onSuccess: onDone,
  });
  const label = (m: number) =>
    m < 60 ? `every ${m} minutes` : m === 60 ? 'hourly' : m === 1440 ? 'daily' : `every ${m / 60} hours`;
  return (
    <label className="schedule">
      <span>Refreshes</span>
      <select
        value={c.schedule.refreshIntervalMinutes ?? ''}
        disabled={set.isPending}
        onChange={(e) => set.mutate(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">hourly (default)</option>
        {INTERVALS.filter((m) => m >= provider.minRefreshIntervalMinutes && m !== 60).map((m) => (
          <option key={m} value={m}>
            {label(m)}
          </option>
        ))}
      </select>
      {set.error && <span className="bad-text">{set.error.message}</span>}
    </label>
  );
}

function Disconnect({ provider, onDone }: { provider: ProviderInfo; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => api(`/integrations/connections?provider=${provider.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setOpen(false);
      onDone();
    },
  });
  return (
    <>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        Disconnect
      </button>
      <Confirm
        open={open}
        onOpenChange={setOpen}
        title={`Disconnect ${provider.displayName}?`}
        description="Deskpulse revokes its access where the helpdesk allows it and deletes the stored credential. The numbers measured so far stay, marked disconnected."
        action={`Disconnect ${provider.displayName}`}
        onConfirm={() => remove.mutate()}
        error={remove.error}
        pending={remove.isPending}
      />
    </>
  );
}

function ProviderCard({
  provider,
  connection,
  writable,
  disconnected,
  justConnected,
  onConnected,
  onChange,
}: {
  provider: ProviderInfo;
  connection: ConnectionInfo | undefined;
  writable: boolean;
  /** Not connected now, but it was: its numbers are kept, marked disconnected. */
  disconnected: boolean;
  justConnected: boolean;
  onConnected: () => void;
  onChange: () => void;
}) {
  const problem = connection ? problemOf(connection, provider.displayName) : null;
  const healthy = connection !== undefined && connection.status !== 'needs_reauth';
  return (
    <li className="card provider-card">
      <div className="provider-head">
        <h2>{provider.displayName}</h2>
        <Pill c={connection} sandbox={provider.sandbox} disconnected={disconnected} />
      </div>
      {connection?.sandbox && (
        <p className="muted">
          Demo data: this connection reads the built-in {provider.displayName} emulator, not a real account.
        </p>
      )}
      {connection ? (
        <dl className="facts">
          <dt>Account</dt>
          <dd>{connection.account?.name ?? '—'}</dd>
          <dt>Connected</dt>
          <dd>
            {dateTime(connection.connectedAt)} ({connection.authType === 'oauth' ? 'OAuth' : 'API token'})
          </dd>
          <dt>Last refreshed</dt>
          <dd>{connection.lastRefreshedAt ? relative(connection.lastRefreshedAt) : 'not yet'}</dd>
          <dt>Next refresh</dt>
          <dd>
            {connection.status === 'needs_reauth'
              ? 'after a reconnect'
              : new Date(connection.schedule.nextRefreshAt).getTime() <= Date.now()
                ? 'due now'
                : relative(connection.schedule.nextRefreshAt)}
          </dd>
        </dl>
      ) : (
        <p className="muted">
          {disconnected
            ? 'Disconnected: the numbers it measured are kept, marked disconnected.'
            : 'Connect it to measure its numbers.'}
          {provider.sandbox ? ' This server serves a demo helpdesk to try it with.' : ''}
        </p>
      )}
      {problem && (
        <Notice tone={connection?.status === 'needs_reauth' ? 'error' : 'warn'}>
          {problem}
          {connection?.lastError && <span className="detail"> ({connection.lastError})</span>}
        </Notice>
      )}
      {writable ? (
        <>
          {healthy && <RefreshNow provider={provider} autoStart={justConnected} onDone={onChange} />}
          <div className="actions">
            <ConnectButton provider={provider} label={connection ? 'Reconnect' : 'Connect'} quiet={healthy} />
            <TokenDialog
              provider={provider}
              onDone={() => {
                onConnected();
                onChange();
              }}
            />
            {connection && <Disconnect provider={provider} onDone={onChange} />}
          </div>
          {connection && <IntervalSelect c={connection} provider={provider} onDone={onChange} />}
        </>
      ) : (
        <p className="muted">Owners and admins connect and refresh helpdesks.</p>
      )}
    </li>
  );
}

export default function Integrations() {
  const me = useMe();
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => api<{ providers: ProviderInfo[] }>('/integrations/providers'),
  });
  const connections = useConnections();
  const metrics = useMetrics();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  // Where the OAuth callback sent us back (?integration=…&status=…): read once, then dropped from the address
  // so that a reload neither repeats the notice nor starts another refresh.
  const [landing] = useState(() => {
    const params = new URLSearchParams(window.location.search);
    return { provider: params.get('integration'), status: params.get('status'), error: params.get('error') };
  });
  const landed = landing.provider;
  const [justConnected, setJustConnected] = useState<string | null>(
    landing.status === 'connected' ? landed : null,
  );
  useEffect(() => {
    if (landed) navigate('/integrations', { replace: true });
  }, [landed, navigate]);
  if (providers.isPending || connections.isPending) return <Loading what="integrations" />;
  if (providers.isError) return <ErrorState error={providers.error} retry={() => void providers.refetch()} />;
  if (connections.isError)
    return <ErrorState error={connections.error} retry={() => void connections.refetch()} />;
  const refreshAll = () => {
    void queries.invalidateQueries({ queryKey: ['connections'] });
    void queries.invalidateQueries({ queryKey: ['metrics'] });
    void queries.invalidateQueries({ queryKey: ['history'] });
    void queries.invalidateQueries({ queryKey: ['agents'] });
  };
  const landedName = providers.data.providers.find((p) => p.id === landed)?.displayName ?? landed ?? '';
  return (
    <>
      <h1>Integrations</h1>
      <p className="lede">
        Connect each helpdesk by OAuth or with an API token; Deskpulse refreshes its numbers hourly.
      </p>
      {landed &&
        (landing.status === 'connected' ? (
          <Notice tone="ok">
            {landedName} is connected. Its first refresh fills 12 weeks of history: its card shows how far it
            has got.
          </Notice>
        ) : (
          <Notice tone="error">{callbackMessage(landedName, landing.error ?? 'unknown')}</Notice>
        ))}
      <ul className="provider-grid">
        {providers.data.providers.map((p) => (
          <ProviderCard
            key={p.id}
            provider={p}
            connection={connections.data.connections.find((c) => c.provider === p.id)}
            writable={canWrite(me.data)}
            disconnected={(metrics.data?.providers ?? []).some(
              (r) =>
                r.provider === p.id && r.source.kind === 'connection' && r.source.status === 'disconnected',
            )}
            justConnected={justConnected === p.id}
            onConnected={() => setJustConnected(p.id)}
            onChange={refreshAll}
          />
        ))}
      </ul>
    </>
  );
}
