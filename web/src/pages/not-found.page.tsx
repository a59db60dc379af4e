import { Compass } from 'lucide-react';
import { Link } from 'react-router';

/** Nothing here: say what was not found and where to go instead. */
export const NotFound = ({ what = 'page', hint }: { what?: string; hint?: string }) => (
  <div className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center">
    <Compass size={40} aria-hidden className="text-slate-400" />
    <h1 className="text-2xl font-semibold">No such {what}</h1>
    <p className="text-sm text-slate-600 dark:text-slate-300">{hint ?? 'The address may be mistyped, or what it pointed to is gone.'}</p>
    <Link to="/" className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700">Go to your projects</Link>
  </div>
);

export const Page = () => <NotFound />;
