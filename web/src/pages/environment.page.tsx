import { useQuery } from '@apollo/client/react';
import { MeQuery } from '../app/session';
import { EnvVarsEditor } from '../env/env-vars-editor';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { EmptyState } from '../ui/notice';

/** The variables every service of the instance gets: the instance owner's to change. */
export const Page = () => {
  const me = useQuery(MeQuery);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Instance' }, { label: 'Global variables' }]} />
        <h1 className="text-2xl font-semibold">Global variables</h1>
      </div>
      {me.data && !me.data.me.instanceOwner ? (
        <EmptyState title="Only the instance owner sets global variables">Project variables are on each project's Environment tab; a service's own on its Environment tab.</EmptyState>
      ) : (
        me.data && <EnvVarsEditor level={{ scope: 'global' }} />
      )}
    </div>
  );
};
