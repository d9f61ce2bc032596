import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { api } from './api.ts';
import { ErrorState, Loading } from './components/states.tsx';
import { Overview } from './pages/overview.tsx';
import { useMe, useSetup } from './session.ts';

// The overview is the first page people see: in the main bundle. Every other page loads when opened.
const Metric = lazy(() => import('./pages/metric.tsx'));
const Team = lazy(() => import('./pages/team.tsx'));
const Integrations = lazy(() => import('./pages/integrations.tsx'));
const Import = lazy(() => import('./pages/import.tsx'));
const Settings = lazy(() => import('./pages/settings.tsx'));
const Setup = lazy(() => import('./pages/setup.tsx'));
const SignIn = lazy(() => import('./pages/sign-in.tsx'));
const Invite = lazy(() => import('./pages/invite.tsx'));

const NAV = [
  ['/', 'Overview'],
  ['/team', 'Team'],
  ['/integrations', 'Integrations'],
  ['/import', 'Import'],
  ['/settings', 'Settings'],
] as const;

function Shell({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  const [location] = useLocation();
  // The source picked on one page stays picked on the others that show a source's numbers.
  const source = new URLSearchParams(useSearch()).get('source');
  const withSource = (href: string) =>
    source && (href === '/' || href === '/team') ? `${href}?source=${encodeURIComponent(source)}` : href;
  const queries = useQueryClient();
  const signOut = async () => {
    await api('/auth/sign-out', { method: 'POST' });
    queries.clear();
    window.location.assign('/app/signin');
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          Deskpulse
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([href, label]) => {
              const current =
                href === '/'
                  ? location === '/' || location.startsWith('/metrics')
                  : location.startsWith(href);
              return (
                <li key={href}>
                  <Link href={withSource(href)} aria-current={current ? 'page' : undefined}>
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="who">
          <span className="who-name">
            <span className="who-workspace">{me?.workspace?.name}</span>
            {me?.role && <span className="role-badge">{me.role}</span>}
          </span>
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>
      </main>
    </div>
  );
}

function Public({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="public">
      <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>
    </main>
  );
}

export function App() {
  const me = useMe();
  const setup = useSetup();
  const [location] = useLocation();
  const search = useSearch();
  if (location === '/invite') {
    return (
      <Public>
        <Invite />
      </Public>
    );
  }
  if (me.isPending || setup.isPending) return <Loading what="Deskpulse" />;
  if (me.isError) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  if (setup.data?.needed && !me.data) {
    return location === '/setup' ? (
      <Public>
        <Setup />
      </Public>
    ) : (
      <Redirect to="/setup" />
    );
  }
  if (!me.data) {
    return location === '/signin' ? (
      <Public>
        <SignIn />
      </Public>
    ) : (
      // The query string goes along: an OAuth callback's ?error=not_signed_in is still shown after signing in.
      <Redirect to={`/signin?next=${encodeURIComponent(location + (search ? `?${search}` : ''))}`} />
    );
  }
  if (!me.data.workspace) {
    return (
      <Public>
        <div className="card narrow">
          <h1>No workspace yet</h1>
          <p>
            You are signed in as {me.data.user?.email}, but you are not a member of a workspace. Ask an admin
            for an invite link.
          </p>
        </div>
      </Public>
    );
  }
  return (
    <Shell>
      <Switch>
        <Route path="/" component={Overview} />
        <Route path="/metrics/:key">{(p) => <Metric metricKey={p.key} />}</Route>
        <Route path="/team" component={Team} />
        <Route path="/integrations" component={Integrations} />
        <Route path="/import" component={Import} />
        <Route path="/settings" component={Settings} />
        <Route path="/signin">
          <Redirect to="/" />
        </Route>
        <Route path="/setup">
          <Redirect to="/" />
        </Route>
        <Route>
          <div className="card narrow">
            <h1>Page not found</h1>
            <p>
              <Link href="/">Back to the overview</Link>
            </p>
          </div>
        </Route>
      </Switch>
    </Shell>
  );
}
