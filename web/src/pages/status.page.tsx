import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { gql } from '../graphql';
import { Card, ErrorNotice } from '../ui/notice';

const Health = gql(`
  query Health { health { status gateway { status nats mongo } services { name status uptimeSeconds } } }
`);

/** The platform's own health, readable without signing in: the first thing to check when something is off. */
export const Page = () => {
  const { data, error } = useQuery(Health, { pollInterval: 5_000 });
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 p-6">
      <h1 className="text-2xl font-semibold">Platform status: <span id="overall">{data?.health.status ?? '…'}</span></h1>
      <ErrorNotice error={error} />
      <Card>
        <table className="w-full text-sm">
          <thead><tr className="text-left"><th className="py-1">Part</th><th>Status</th><th>Detail</th></tr></thead>
          <tbody id="rows">
            {data && (
              <tr className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1">gateway</td>
                <td className={data.health.gateway.status === 'ready' ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}>{data.health.gateway.status}</td>
                <td className="text-slate-500 dark:text-slate-400">NATS {data.health.gateway.nats}, store {data.health.gateway.mongo}</td>
              </tr>
            )}
            {data?.health.services.map((s) => (
              <tr key={s.name} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1">{s.name}</td>
                <td className={s.status === 'ready' ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}>{s.status}</td>
                <td className="text-slate-500 dark:text-slate-400">{s.uptimeSeconds != null ? `up ${s.uptimeSeconds} s` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Link to="/" className="text-sm underline">Open the console</Link>
    </main>
  );
};
