import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, asApiError, errorText } from '../api.ts';
import { Notice } from '../components/states.tsx';

/** First run: no workspace exists yet, so the first visitor makes one and becomes its Owner. */
export default function Setup() {
  const queries = useQueryClient();
  const [form, setForm] = useState({ workspaceName: '', name: '', email: '', password: '' });
  const setUp = useMutation({
    mutationFn: async () => {
      await api('/setup', { method: 'POST', json: form });
      await queries.invalidateQueries();
      window.location.assign('/app/integrations');
    },
  });
  const error = setUp.error && asApiError(setUp.error);
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  return (
    <div className="card narrow">
      <h1>Set up Deskpulse</h1>
      <p className="lede">Name your workspace and create its owner account. You can invite your team next.</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setUp.mutate();
        }}
      >
        <label className="field">
          <span>Workspace name</span>
          <input required maxLength={100} autoComplete="organization" {...field('workspaceName')} />
        </label>
        <label className="field">
          <span>Your name</span>
          <input required maxLength={100} autoComplete="name" {...field('name')} />
        </label>
        <label className="field">
          <span>Email</span>
          <input type="email" required autoComplete="email" {...field('email')} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            required
            minLength={12}
            maxLength={256}
            autoComplete="new-password"
            {...field('password')}
          />
          <small>At least 12 characters; a long phrase is best.</small>
        </label>
        {error && <Notice tone="error">{errorText(error, error.message)}</Notice>}
        <button type="submit" className="button" disabled={setUp.isPending}>
          {setUp.isPending ? 'Setting up…' : 'Create workspace'}
        </button>
      </form>
    </div>
  );
}
