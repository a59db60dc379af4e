const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 days". */
export const relativeTime = (iso: string, now = Date.now()) => {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
};

export const absoluteTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A moment as people say it, with the exact time beside it for the record. */
export const Time = ({ at, showAbsolute = false }: { at: string; showAbsolute?: boolean }) => (
  <time dateTime={at} title={absoluteTime(at)}>
    {relativeTime(at)}
    {showAbsolute && <span className="block text-xs text-slate-500 dark:text-slate-400">{absoluteTime(at)}</span>}
  </time>
);
