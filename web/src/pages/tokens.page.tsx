import { useMutation, useQuery } from '@apollo/client/react';
import { clsx } from 'clsx';
import { Ban } from 'lucide-react';
import { CreateTokenForm } from '../tokens/create-token-form';
import { TokensQuery, TokensRevoke } from '../tokens/tokens-documents';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { Time } from '../ui/time';

const stateOf = (t: { revokedAt?: string | null; expiresAt: string }) => (t.revokedAt ? 'revoked' : new Date(t.expiresAt) <= new Date() ? 'expired' : 'active');

/** Your API tokens for scripts and CI: create one (shown once), see when each expires, revoke. */
export const Page = () => {
  const { data, loading, error, refetch } = useQuery(TokensQuery);
  const [revoke, revoking] = useMutation(TokensRevoke);
  // Active tokens first (they are the ones to act on), each group in the API's order.
  const tokens = [...(data?.apiTokens ?? [])].sort((a, b) => Number(stateOf(a) !== 'active') - Number(stateOf(b) !== 'active'));
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Your account' }, { label: 'API tokens' }]} />
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">For scripts and CI: a token acts as you, limited to its scopes and to the projects you are a member of.</p>
      </div>
      <Card>
        <h2 className="mb-3 text-lg font-medium">New token</h2>
        <CreateTokenForm onCreated={() => void refetch()} />
      </Card>
      <ErrorNotice error={error ?? revoking.error} />
      {loading && !data && <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>}
      {data && tokens.length === 0 && <EmptyState title="No API tokens yet">Create one above, then use it as <code>Authorization: Bearer &lt;token&gt;</code>.</EmptyState>}
      {tokens.length > 0 && (
        <ul aria-label="Your tokens" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {tokens.map((t) => {
            const state = stateOf(t);
            return (
              <li key={t.id} className={clsx('flex items-center gap-3 p-3 text-sm', state !== 'active' && 'text-slate-500 dark:text-slate-400')}>
                <div className="min-w-0 flex-1">
                  <p>
                    <span className="font-medium">{t.name}</span>
                    <span className="ml-2 text-xs">{t.scopes.map((s) => s.toLowerCase()).join(', ')}</span>
                  </p>
                  <p className="text-xs">
                    created <Time at={t.createdAt} /> ·{' '}
                    {state === 'revoked' ? <>revoked <Time at={t.revokedAt!} /></> : <>{state === 'expired' ? 'expired' : 'expires'} <Time at={t.expiresAt} /></>}
                  </p>
                </div>
                <span className={clsx('shrink-0 rounded-full px-2 py-0.5 text-xs font-medium', state === 'active' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200' : 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300')}>{state}</span>
                {state === 'active' ? (
                  <ConfirmDialog
                    title={`Revoke ${t.name}?`}
                    description="Anything using it is refused from now on. This cannot be undone: create a new token instead."
                    confirmLabel="Revoke"
                    busy={revoking.loading}
                    onConfirm={() => revoke({ variables: { id: t.id } }).then(() => refetch()).catch(() => undefined)}
                    trigger={<Button variant="ghost" className="shrink-0" aria-label={`Revoke ${t.name}`}><Ban size={16} aria-hidden /> <span className="hidden sm:inline">Revoke</span></Button>}
                  />
                ) : (
                  <span className="hidden w-[5.5rem] shrink-0 sm:block" aria-hidden />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
};
