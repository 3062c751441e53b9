/** Words for machine names: `changes_requested` → `changes requested`. */
export const words = (name: string | null | undefined): string => (name ?? '—').replace(/_/g, ' ');

export const formatDuration = (ms: number): string => {
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days >= 1) return `${days} d ${hours % 24} h`;
  if (hours >= 1) return `${hours} h ${minutes % 60} min`;
  return `${Math.max(minutes, 0)} min`;
};

/** "3 d 4 h left" or "overdue by 2 h". */
export const timeLeft = (dueAt: string, pausedAt?: string | null, now = Date.now()): string => {
  const remaining = new Date(dueAt).getTime() - (pausedAt ? new Date(pausedAt).getTime() : now);
  const text = remaining >= 0 ? `${formatDuration(remaining)} left` : `overdue by ${formatDuration(remaining)}`;
  return pausedAt ? `${text} (paused)` : text;
};

export const age = (since: string | null | undefined, now = Date.now()): string => (since ? formatDuration(now - new Date(since).getTime()) : '—');

export const formatTime = (at: string | null | undefined): string => (at ? new Date(at).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }) + ' UTC' : '—');

export const shortHash = (hash: string | null | undefined): string => (hash ? `${hash.slice(0, 12)}…` : '—');

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
