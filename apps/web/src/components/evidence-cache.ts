/** What this browser learnt about evidence it uploaded (name, size, hash), for the session. */
interface Known { sha256?: string; size?: number; name?: string }
const KEY = 'clearance.evidence';

const all = (): Record<string, Known> => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, Known>;
  } catch {
    return {};
  }
};

export const evidenceCache = {
  get: (id: string): Known => all()[id] ?? {},
  set: (id: string, known: Known): void => sessionStorage.setItem(KEY, JSON.stringify({ ...all(), [id]: known })),
};
