import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Activity, Eraser, FolderGit2, GitPullRequest, KeyRound, LogOut, Moon, Sailboat, SlidersHorizontal, Sun } from 'lucide-react';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { gql } from '../graphql';
import { MeQuery } from './session';
import { applyTheme, currentTheme } from './theme';

const SignOut = gql(`mutation SignOut { signOut }`);

const link = ({ isActive }: { isActive: boolean }) =>
  `flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ${isActive ? 'bg-slate-200 font-medium dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`;

/** The frame of every signed-in page: where you are, where you can go, who you are. */
export const Layout = () => {
  const { data } = useQuery(MeQuery);
  const client = useApolloClient();
  const navigate = useNavigate();
  const [signOut] = useMutation(SignOut);
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('dark'));
  const toggleTheme = () => {
    applyTheme(dark ? 'light' : currentTheme() === 'light' ? 'dark' : 'dark');
    setDark(!dark);
  };
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <nav aria-label="Main" className="flex shrink-0 flex-row flex-wrap items-center gap-1 border-b border-slate-200 p-3 md:w-56 md:flex-col md:items-stretch md:border-r md:border-b-0 dark:border-slate-800">
        <span className="mr-3 flex items-center gap-2 px-2 text-lg font-semibold md:mb-3"><Sailboat size={20} aria-hidden /> Slipway</span>
        <NavLink to="/" end className={link}><FolderGit2 size={16} aria-hidden /> Projects</NavLink>
        <NavLink to="/previews" className={link}><GitPullRequest size={16} aria-hidden /> Previews</NavLink>
        <NavLink to="/metrics" className={link}><Activity size={16} aria-hidden /> Metrics</NavLink>
        <NavLink to="/tokens" className={link}><KeyRound size={16} aria-hidden /> API tokens</NavLink>
        {data?.me.instanceOwner && <NavLink to="/environment" className={link}><SlidersHorizontal size={16} aria-hidden /> Global variables</NavLink>}
        {data?.me.instanceOwner && <NavLink to="/cleanup" className={link}><Eraser size={16} aria-hidden /> Clean-up</NavLink>}
        <div className="ml-auto flex items-center gap-1 md:mt-auto md:ml-0 md:flex-col md:items-stretch">
          <span className="truncate px-2 text-xs text-slate-500 dark:text-slate-400" title={data?.me.email}>{data?.me.email}</span>
          <button type="button" className={link({ isActive: false })} onClick={toggleTheme} aria-label={dark ? 'Use the light theme' : 'Use the dark theme'}>
            {dark ? <Sun size={16} aria-hidden /> : <Moon size={16} aria-hidden />} {dark ? 'Light' : 'Dark'}
          </button>
          <button
            type="button"
            className={link({ isActive: false })}
            onClick={async () => {
              await signOut();
              await client.clearStore();
              navigate('/sign-in');
            }}
          >
            <LogOut size={16} aria-hidden /> Sign out
          </button>
        </div>
      </nav>
      <main className="min-w-0 flex-1 p-4 md:p-8">
        <Outlet />
      </main>
    </div>
  );
};
