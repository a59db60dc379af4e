/** "1.2 s", "3 min 4 s", "2 h 5 min": how long something took, from two ISO dates (to now when unfinished). */
export const duration = (from: string | null | undefined, to?: string | null, now = Date.now()): string | null => {
  if (!from) return null;
  const ms = (to ? Date.parse(to) : now) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
};

/** A date a person reads: "12 Mar, 14:05". */
export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '';

export const isActive = (status: string) => status === 'QUEUED' || status === 'BUILDING' || status === 'DEPLOYING';
