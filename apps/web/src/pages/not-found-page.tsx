import { Link } from 'react-router';
import { usePageTitle } from '../components/session';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no such page, or you may not see it.</p>
      <p><Link to="/">Back to the start page</Link></p>
    </section>
  );
}
