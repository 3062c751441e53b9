import { useCallback, useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, api, read, tokenStore } from './api/client';
import type { Me } from './api/types';
import { Loading } from './components/problem';
import { SessionContext } from './components/session';
import { AssessmentPage } from './pages/assessment/assessment-page';
import { AuditorHome } from './pages/auditor-home';
import { CasePage } from './pages/case/case-page';
import { DeveloperHome } from './pages/developer-home';
import { IncidentPage } from './pages/incidents/incident-page';
import { IncidentQueuePage } from './pages/incidents/incident-queue-page';
import { NewCasePage } from './pages/new-case-page';
import { NotFoundPage } from './pages/not-found-page';
import { OperatorLogPage } from './pages/operator-log-page';
import { QueuePage } from './pages/queue-page';
import { PublicRegistryApp } from './pages/registry/public-registry-app';
import { RegulatorHome } from './pages/regulator-home';
import { SignInPage } from './pages/sign-in-page';
import { TokensPage } from './pages/tokens-page';
import { WorkflowPage } from './pages/workflow-page';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => tokenStore.get() !== null);
  const [error, setError] = useState<Error | null>(null);
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const accept = useCallback((found: Me) => {
    setMe(found);
    setError(null);
    setChecking(false);
  }, []);
  const refuse = useCallback((e: unknown) => {
    tokenStore.clear();
    setMe(null);
    // The api's 401 detail tells an expired token apart from an unknown or revoked one.
    const expired = e instanceof ApiError && e.status === 401 && /expired/i.test(e.problem.detail ?? '');
    const detail = expired ? 'That token has expired. Ask your administrator for a new one, or sign in with another token.' : 'That token is unknown or revoked.';
    setError(e instanceof ApiError && e.status === 401 ? new ApiError(401, { title: 'Not signed in', detail }) : (e as Error));
    setChecking(false);
  }, []);
  // Asks the server who the stored token belongs to; state changes only once it has answered.
  const verify = useCallback(() => read(api.GET('/v1/me')).then(accept, refuse), [accept, refuse]);

  const signIn = useCallback(async (token: string) => {
    tokenStore.set(token);
    setChecking(true);
    await verify();
  }, [verify]);

  useEffect(() => {
    if (tokenStore.get()) void verify();
  }, [verify]);

  const signOut = useCallback(() => {
    tokenStore.clear();
    setMe(null);
    void navigate('/');
  }, [navigate]);

  // The public registry needs no token: it never waits for, nor asks for, a sign-in.
  if (pathname === '/registry' || pathname.startsWith('/registry/')) return <PublicRegistryApp signedIn={me !== null} />;
  if (checking) return <main id="main"><Loading what="your account" /></main>;
  if (!me) return <SignInPage onSignIn={signIn} error={error} />;

  return (
    <SessionContext.Provider value={{ me, signOut }}>
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand">Clearance</Link>
        <nav aria-label="Main">
          <ul>
            <li><NavLink to="/" end>{me.role === 'developer' ? 'My cases' : me.role === 'auditor' ? 'My assignments' : 'Dashboard'}</NavLink></li>
            {me.role === 'developer' && <li><NavLink to="/cases/new">New case</NavLink></li>}
            {me.role === 'regulator' && <li><NavLink to="/queues/overdue">Overdue</NavLink></li>}
            {me.role === 'regulator' && <li><NavLink to="/queues/incidents">Incidents</NavLink></li>}
            {me.role !== 'admin' && <li><NavLink to="/workflow">Workflow</NavLink></li>}
            <li><NavLink to="/registry">Public registry</NavLink></li>
            {me.role === 'regulator' && <li><NavLink to="/operator-log">Operator log</NavLink></li>}
            <li><NavLink to="/tokens">Tokens</NavLink></li>
          </ul>
        </nav>
        <div className="who">
          <span>
            {me.displayName} · <span className="role">{me.role}</span>
            {me.organisation ? ` · ${me.organisation.name}` : ''}
          </span>
          <button type="button" className="secondary" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {me.role === 'admin' ? (
          <Routes>
            <Route path="/tokens" element={<TokensPage />} />
            <Route
              path="*"
              element={
                <section>
                  <h1>Administrator</h1>
                  <p>Administrators manage organisations, users and policy packs through the API and never read cases (separation of duties). Use the API documentation at <a href="/docs">/docs</a>.</p>
                </section>
              }
            />
          </Routes>
        ) : (
          <Routes>
            <Route path="/" element={me.role === 'developer' ? <DeveloperHome /> : me.role === 'auditor' ? <AuditorHome /> : <RegulatorHome />} />
            <Route path="/cases/new" element={<NewCasePage />} />
            <Route path="/cases/:id" element={<CasePage />} />
            <Route path="/cases/:id/assessment" element={<AssessmentPage />} />
            <Route path="/queues/incidents" element={<IncidentQueuePage />} />
            <Route path="/queues/:name" element={<QueuePage />} />
            <Route path="/incidents/:id" element={<IncidentPage />} />
            <Route path="/workflow" element={<WorkflowPage />} />
            <Route path="/tokens" element={<TokensPage />} />
            {me.role === 'regulator' && <Route path="/operator-log" element={<OperatorLogPage />} />}
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        )}
      </main>
    </SessionContext.Provider>
  );
}
