import { useState, type FormEvent } from 'react';
import { ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';

export function SignInPage({ onSignIn, error }: { onSignIn: (token: string) => Promise<void>; error: Error | null }) {
  usePageTitle('Sign in');
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) void onSignIn(token.trim());
  };
  return (
    <main id="main" className="sign-in">
      <h1>Clearance</h1>
      <p>Release assurance for AI models: pre-release risk assessments, independent audits and regulator supervision.</p>
      <p>Anyone may read and verify the <a href="/registry">public registry</a> of release decisions, without a token.</p>
      <form onSubmit={submit} aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Sign in</h2>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="token-help" />
        <p id="token-help" className="help">Paste the bearer token your administrator issued. It is kept for this browser session only.</p>
        <button type="submit">Sign in</button>
        <ProblemMessage error={error} />
      </form>
    </main>
  );
}
