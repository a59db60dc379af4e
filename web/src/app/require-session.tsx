import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice } from '../ui/notice';
import { MeQuery } from './session';

/** Pages behind it need a session: without one, the person is sent to sign in (and back after). */
export const RequireSession = ({ children }: { children: ReactNode }) => {
  const { data, loading, error } = useQuery(MeQuery);
  const location = useLocation();
  if (loading) return <p className="p-6 text-sm text-slate-500">Loading…</p>;
  const unauthenticated = error && /Sign in first/.test(error.message);
  if (unauthenticated || (!data?.me && !error)) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (error) return <div className="p-6"><ErrorNotice error={error} /></div>;
  return <>{children}</>;
};
