import { Link, Route, Routes } from 'react-router';
import { NotFoundPage } from '../not-found-page';
import { PublicRegistryPage } from './public-registry-page';
import { RegistryRecordPage } from './registry-record-page';

/** The public registry, open to anyone: no token is asked for or needed. */
export function PublicRegistryApp({ signedIn }: { signedIn: boolean }) {
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/registry" className="brand">Clearance · public registry</Link>
        <nav aria-label="Main">
          <ul>
            <li><Link to="/registry">Records</Link></li>
            <li><Link to="/">{signedIn ? 'Back to your work' : 'Sign in'}</Link></li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/registry" element={<PublicRegistryPage />} />
          <Route path="/registry/:id" element={<RegistryRecordPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </>
  );
}
