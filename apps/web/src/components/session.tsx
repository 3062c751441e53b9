import { createContext, useContext, useEffect } from 'react';
import type { Me } from '../api/types';

export interface Session {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
};

export const usePageTitle = (title: string) => {
  useEffect(() => {
    document.title = `${title} · Clearance`;
  }, [title]);
};
