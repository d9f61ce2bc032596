import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, asApiError, errorText } from '../api.ts';
import { Loading, Notice } from '../components/states.tsx';
import { useMe } from '../session.ts';

/** `/invite#token=…`: the link an admin shared. The token stays in the fragment, never in a server log. */
export default function Invite() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const me = useMe();
  const queries = useQueryClient();
  const [mode, setMode] = useState<'sign-up' | 'sign-in'>('sign-up');
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const enter = async () => {
    await queries.invalidateQueries();
    window.location.assign('/app/');
  };
  const accept = () => api('/invites/accept', { method: 'POST', json: { token } });
  const signIn = () =>
    api('/auth/sign-in', { method: 'POST', json: { email: form.email, password: form.password } });
  // One runner for the page's three ways in, so they share the pending state and the error shown.
  const action = useMutation({ mutationFn: (steps: () => Promise<void>) => steps() });
  const error = action.error && asApiError(action.error);
  const busy = action.isPending;
  const join = () =>
    action.mutate(async () => {
      await accept();
      await enter();
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.mutate(async () => {
      if (mode === 'sign-up') {
        // A new account joins the invite's workspace as it signs up, but sign-up never signs in and
        // answers the same for an email that already had an account (docs/authentication.md). So sign
        // in with the same credentials, then accept: invite_used means sign-up already joined.
        await api('/auth/sign-up', { method: 'POST', json: { ...form, inviteToken: token } });
        await signIn();
        await accept().catch((err: unknown) => {
          if (!(err instanceof ApiError && err.code === 'invite_used')) throw err;
        });
      } else {
        await signIn();
        await accept();
      }
      await enter();
    });
  };
  if (!token) {
    return (
      <div className="card narrow">
        <h1>Invite link incomplete</h1>
        <p>This link has no invite token. Ask the person who invited you to copy it again.</p>
      </div>
    );
  }
  if (me.isPending) return <Loading what="your invite" />;
  if (me.data) {
    return (
      <div className="card narrow">
        <h1>Join the workspace</h1>
        <p>You are signed in as {me.data.user?.email}.</p>
        {error && <Notice tone="error">{errorText(error, error.message)}</Notice>}
        <button type="button" className="button" disabled={busy} onClick={join}>
          Accept the invite
        </button>
      </div>
    );
  }
  return (
    <div className="card narrow">
      <h1>You are invited to Deskpulse</h1>
      <div className="tabs" role="group" aria-label="Account">
        <button
          type="button"
          className="button button-quiet"
          aria-pressed={mode === 'sign-up'}
          onClick={() => setMode('sign-up')}
        >
          Create an account
        </button>
        <button
          type="button"
          className="button button-quiet"
          aria-pressed={mode === 'sign-in'}
          onClick={() => setMode('sign-in')}
        >
          I have an account
        </button>
      </div>
      <form className="form" onSubmit={submit}>
        {mode === 'sign-up' && (
          <label className="field">
            <span>Your name</span>
            <input
              required
              maxLength={100}
              autoComplete="name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </label>
        )}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            required
            autoComplete="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            required
            minLength={mode === 'sign-up' ? 12 : 1}
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          {mode === 'sign-up' && <small>At least 12 characters; a long phrase is best.</small>}
        </label>
        {error && (
          <Notice tone="error">
            {error.status === 401 ? 'Wrong email or password.' : errorText(error, error.message)}
          </Notice>
        )}
        <button type="submit" className="button" disabled={busy}>
          {mode === 'sign-up' ? 'Create account and join' : 'Sign in and join'}
        </button>
      </form>
    </div>
  );
}
