import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useSearch } from 'wouter';
import { api, asApiError } from '../api.ts';
import { Notice } from '../components/states.tsx';

export default function SignIn() {
  const queries = useQueryClient();
  const next = new URLSearchParams(useSearch()).get('next') ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const passwordField = useRef<HTMLInputElement>(null);
  const signIn = useMutation({
    mutationFn: async () => {
      await api('/auth/sign-in', { method: 'POST', json: { email, password } });
      await queries.invalidateQueries();
      // Only paths of the dashboard itself: never an address from the URL elsewhere.
      window.location.assign(`/app${next.startsWith('/') && !next.startsWith('//') ? next : '/'}`);
    },
    // The button was disabled while it ran, which drops the focus: back to the password, to type it again.
    onError: () => {
      passwordField.current?.focus();
      passwordField.current?.select();
    },
  });
  const error = signIn.error && asApiError(signIn.error);
  return (
    <div className="card narrow">
      <h1>Sign in to Deskpulse</h1>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate();
        }}
      >
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            required
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            ref={passwordField}
            type="password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <Notice tone="error">
            {error.status === 429
              ? `Too many attempts: try again in ${error.retryAfter ?? 60} seconds.`
              : error.status === 401
                ? 'Wrong email or password.'
                : error.message}
          </Notice>
        )}
        <button type="submit" className="button" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">New here? Ask an admin of your workspace for an invite link.</p>
    </div>
  );
}
