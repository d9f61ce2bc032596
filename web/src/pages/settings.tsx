import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type {
  ApiKeyDto,
  CreatedApiKeyDto,
  CreatedInviteDto,
  InviteDto,
  Me,
  MemberDto,
  WorkspaceDto,
} from '../../../src/contracts/identity.ts';
import type {
  CreatedWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookEvent,
} from '../../../src/contracts/webhooks.ts';
import { api, errorText } from '../api.ts';
import { Confirm, Dialog } from '../components/dialog.tsx';
import { Empty, ErrorState, Loading, Notice } from '../components/states.tsx';
import { TableScroll } from '../components/table.tsx';
import { dateTime, relative, timeZones } from '../format.ts';
import { canWrite, useMe } from '../session.ts';

const EVENTS: WebhookEvent[] = [
  'connection.needs_reauth',
  'connection.recovered',
  'refresh.failed',
  'refresh.succeeded',
  'metrics.updated',
];

/** A secret shown once, with a copy button. */
function Once({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="once">
      <p>
        <strong>{label}</strong> — shown once: copy it now.
      </p>
      <div className="copy-row">
        <input readOnly value={value} aria-label={label} onFocus={(e) => e.target.select()} />
        <button
          type="button"
          className="button"
          onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

function Workspace({ me }: { me: Me }) {
  const queries = useQueryClient();
  const workspace = useQuery({ queryKey: ['workspace'], queryFn: () => api<WorkspaceDto>('/workspace') });
  const [chosen, setChosen] = useState<string | null>(null);
  const timezone = chosen ?? workspace.data?.timezone ?? '';
  const save = useMutation({
    mutationFn: () => api<WorkspaceDto>('/workspace', { method: 'PATCH', json: { timezone } }),
    onSuccess: () => {
      setChosen(null);
      for (const key of ['workspace', 'history', 'metrics', 'me'])
        void queries.invalidateQueries({ queryKey: [key] });
    },
  });
  const zones = timeZones(workspace.data?.timezone);
  return (
    <section aria-labelledby="ws">
      <h2 id="ws">Workspace</h2>
      <p>
        {me.workspace?.name} · you are <strong>{me.role}</strong>
      </p>
      {canWrite(me) && (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <label className="field-inline">
            <span>Timezone (weeks run Monday–Sunday there)</span>
            <select value={timezone} onChange={(e) => setChosen(e.target.value)} required>
              {zones.map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="button"
            disabled={!timezone || timezone === workspace.data?.timezone || save.isPending}
          >
            Save timezone
          </button>
          {save.isSuccess && <span className="ok-text">Saved: {save.data.timezone}</span>}
          {save.error && <span className="bad-text">{save.error.message}</span>}
        </form>
      )}
    </section>
  );
}

function Members({ me }: { me: Me }) {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['members'], queryFn: () => api<{ members: MemberDto[] }>('/members') });
  const [removing, setRemoving] = useState<MemberDto | null>(null);
  const role = useMutation({
    mutationFn: (v: { userId: string; role: string }) =>
      api(`/members/${v.userId}`, { method: 'PATCH', json: { role: v.role } }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['members'] }),
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api(`/members/${userId}`, { method: 'DELETE' }),
    onSuccess: () => {
      setRemoving(null);
      void queries.invalidateQueries({ queryKey: ['members'] });
    },
  });
  const isOwner = me.role === 'owner';
  return (
    <section aria-labelledby="members">
      <h2 id="members">Members</h2>
      {list.isPending ? (
        <Loading what="members" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : (
        <TableScroll label="Members">
          <table className="table">
            <caption>Teammates of this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {canWrite(me) && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.data.members.map((m) => {
                const self = m.userId === me.user?.id;
                const removable = !self && m.role !== 'owner' && (isOwner || m.role === 'member');
                return (
                  <tr key={m.userId}>
                    <th scope="row">{m.name}</th>
                    <td>{m.email}</td>
                    <td>
                      {isOwner && !self && m.role !== 'owner' ? (
                        <select
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          onChange={(e) => role.mutate({ userId: m.userId, role: e.target.value })}
                        >
                          <option value="admin">admin</option>
                          <option value="member">member</option>
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td>{dateTime(m.joinedAt)}</td>
                    {canWrite(me) && (
                      <td>
                        {removable && (
                          <button
                            type="button"
                            className="button button-quiet"
                            onClick={() => setRemoving(m)}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {role.error && <Notice tone="error">{errorText(role.error, role.error.message)}</Notice>}
      <Confirm
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove ${removing?.name ?? ''} from the workspace?`}
        action="Remove"
        onConfirm={() => removing && remove.mutate(removing.userId)}
        error={remove.error}
      />
    </section>
  );
}

function Invites() {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['invites'], queryFn: () => api<{ invites: InviteDto[] }>('/invites') });
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [created, setCreated] = useState<CreatedInviteDto | null>(null);
  const create = useMutation({
    mutationFn: () => api<CreatedInviteDto>('/invites', { method: 'POST', json: { role } }),
    onSuccess: (i) => {
      setCreated(i);
      void queries.invalidateQueries({ queryKey: ['invites'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/invites/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['invites'] }),
  });
  const pending = (list.data?.invites ?? []).filter(
    (i) => !i.acceptedAt && !i.revokedAt && new Date(i.expiresAt) > new Date(),
  );
  return (
    <section aria-labelledby="invites">
      <h2 id="invites">Invites</h2>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="field-inline">
          <span>Invite as</span>
          <select value={role} onChange={(e) => setRole(e.target.value as 'member' | 'admin')}>
            <option value="member">member (reads everything, changes nothing)</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className="button" disabled={create.isPending}>
          Create invite link
        </button>
      </form>
      {create.error && <Notice tone="error">{errorText(create.error, create.error.message)}</Notice>}
      {created && <Once label={`Invite link (${created.role}, single use, 7 days)`} value={created.url} />}
      {list.isError ? (
        <ErrorState error={list.error} />
      ) : pending.length === 0 ? (
        <p className="muted">No pending invites.</p>
      ) : (
        <ul className="plain-list">
          {pending.map((i) => (
            <li key={i.id}>
              {i.role} invite, expires {relative(i.expiresAt)}{' '}
              <button type="button" className="button button-quiet" onClick={() => revoke.mutate(i.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ApiKeys() {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['apikeys'], queryFn: () => api<{ apiKeys: ApiKeyDto[] }>('/apikeys') });
  const [name, setName] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const create = useMutation({
    mutationFn: () => api<CreatedApiKeyDto>('/apikeys', { method: 'POST', json: { name, role } }),
    onSuccess: (k) => {
      setCreated(k);
      setName('');
      void queries.invalidateQueries({ queryKey: ['apikeys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/apikeys/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setRevoking(null);
      void queries.invalidateQueries({ queryKey: ['apikeys'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="keys">
      <h2 id="keys">API keys</h2>
      <form className="form-row" onSubmit={submit}>
        <label className="field-inline">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <label className="field-inline">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as 'member' | 'admin')}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className="button" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.error && <Notice tone="error">{errorText(create.error, create.error.message)}</Notice>}
      {created && <Once label={`API key "${created.name}"`} value={created.key} />}
      {list.isPending ? (
        <Loading what="keys" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.apiKeys.length === 0 ? (
        <p className="muted">No keys.</p>
      ) : (
        <TableScroll label="API keys">
          <table className="table">
            <caption>Workspace API keys (never their secrets)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.apiKeys.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{k.role}</td>
                  <td>{dateTime(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? relative(k.lastUsedAt) : 'never'}</td>
                  <td>
                    {k.revokedAt ? (
                      <span className="muted">revoked</span>
                    ) : (
                      <button type="button" className="button button-quiet" onClick={() => setRevoking(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Confirm
        open={revoking !== null}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke the key "${revoking?.name ?? ''}"? Scripts using it stop working.`}
        action="Revoke key"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        error={revoke.error}
      />
    </section>
  );
}

function Deliveries({ hook }: { hook: WebhookDto }) {
  const [open, setOpen] = useState(false);
  const log = useQuery({
    queryKey: ['deliveries', hook.id],
    enabled: open,
    queryFn: () => api<{ deliveries: WebhookDeliveryDto[] }>(`/webhooks/${hook.id}/deliveries`),
  });
  return (
    <>
      <button type="button" className="button button-quiet" onClick={() => setOpen(true)}>
        Delivery log
      </button>
      <Dialog open={open} onOpenChange={setOpen} title={`Deliveries to ${hook.url}`}>
        {log.isPending ? (
          <Loading what="deliveries" />
        ) : log.isError ? (
          <ErrorState error={log.error} />
        ) : log.data.deliveries.length === 0 ? (
          <Empty title="Nothing delivered yet" />
        ) : (
          <ul className="plain-list">
            {log.data.deliveries.map((d) => (
              <li key={d.id}>
                <strong>{d.eventType}</strong> · {d.state} · {dateTime(d.createdAt)} ·{' '}
                {d.attempts.map((a) => (a.statusCode === null ? a.error : String(a.statusCode))).join(', ') ||
                  'no attempt yet'}
              </li>
            ))}
          </ul>
        )}
      </Dialog>
    </>
  );
}

function Webhooks() {
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => api<{ webhooks: WebhookDto[] }>('/webhooks'),
  });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['connection.needs_reauth', 'refresh.failed']);
  const [created, setCreated] = useState<CreatedWebhookDto | null>(null);
  const [deleting, setDeleting] = useState<WebhookDto | null>(null);
  const create = useMutation({
    mutationFn: () => api<CreatedWebhookDto>('/webhooks', { method: 'POST', json: { url, events } }),
    onSuccess: (w) => {
      setCreated(w);
      setUrl('');
      void queries.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/webhooks/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      setDeleting(null);
      void queries.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  return (
    <section aria-labelledby="hooks">
      <h2 id="hooks">Webhooks</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="field">
          <span>Endpoint URL</span>
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            placeholder="https://"
          />
        </label>
        <fieldset className="field events">
          <legend>Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev} className="check">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) =>
                  setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))
                }
              />{' '}
              {ev}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={create.isPending || events.length === 0}>
          Add webhook
        </button>
      </form>
      {create.error && <Notice tone="error">{errorText(create.error, create.error.message)}</Notice>}
      {created && <Once label="Signing secret" value={created.secret} />}
      {list.isError ? (
        <ErrorState error={list.error} />
      ) : (list.data?.webhooks.length ?? 0) === 0 ? (
        <p className="muted">No webhooks.</p>
      ) : (
        <ul className="plain-list">
          {list.data?.webhooks.map((w) => (
            <li key={w.id}>
              <code>{w.url}</code> · {w.events.join(', ')} <Deliveries hook={w} />{' '}
              <button type="button" className="button button-quiet" onClick={() => setDeleting(w)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete the webhook to ${deleting?.url ?? ''}? It gets no more deliveries.`}
        action="Delete webhook"
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        error={remove.error}
      />
    </section>
  );
}

export default function Settings() {
  const me = useMe();
  if (!me.data) return <Loading what="settings" />;
  const admin = canWrite(me.data);
  return (
    <>
      <h1>Settings</h1>
      {!admin && (
        <Notice tone="info">You can see the workspace and its members; owners and admins change them.</Notice>
      )}
      <div className="stack">
        <Workspace me={me.data} />
        <Members me={me.data} />
        {admin && <Invites />}
        {admin && <ApiKeys />}
        {admin && <Webhooks />}
      </div>
    </>
  );
}
