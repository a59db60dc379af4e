import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { MeQuery } from '../app/session';
import { HostMetrics } from '../metrics/host-metrics';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { EmptyState } from '../ui/notice';

/** The host's usage, for the instance owner; a service's own charts are on its Metrics tab. */
export const Page = () => {
  const me = useQuery(MeQuery);
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Instance' }, { label: 'Metrics' }]} />
        <h1 className="text-2xl font-semibold">Metrics</h1>
      </div>
      {me.data && !me.data.me.instanceOwner ? (
        <EmptyState title="Only the instance owner sees the host's metrics">
          Each service's CPU, memory and network are on its Metrics tab: open a service from <Link to="/" className="underline">your projects</Link>.
        </EmptyState>
      ) : (
        me.data && <HostMetrics />
      )}
    </div>
  );
};
