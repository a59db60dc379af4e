import { useMutation } from '@apollo/client/react';
import { ExternalLink, GitPullRequest } from 'lucide-react';
import { Link } from 'react-router';
import type { PreviewsPageQuery as Q } from '../graphql/graphql';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';
import { absoluteTime, relativeTime } from '../ui/time';
import { ApprovePreviewMutation, DestroyPreviewMutation } from './previews-documents';

type Preview = Q['previews'][number];
const gone = (status: string) => status === 'DESTROYING' || status === 'DESTROYED';
const why: Record<string, string> = {
  closed: 'the pull request was closed',
  merged: 'the pull request was merged',
  expired: 'idle past its expiry',
  destroyed: 'destroyed on request',
  'project-deleted': 'its project was deleted',
};

/** One preview: what it builds, where it runs, each copy's logs, and what may be done with it. */
export const PreviewCard = ({ preview, onChanged }: { preview: Preview; onChanged: () => void }) => {
  const [destroy, destroying] = useMutation(DestroyPreviewMutation, { onCompleted: onChanged });
  const [approve, approving] = useMutation(ApprovePreviewMutation, { onCompleted: onChanged });
  return (
    <li className="flex flex-col gap-2 p-4" aria-label={`Preview ${preview.title || preview.ref}`}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={preview.status} />
        <span className="min-w-0 flex-1 basis-24 truncate font-medium">
          {preview.number ? `#${preview.number} ` : ''}
          {preview.title || preview.ref}
        </span>
        {preview.status === 'WAITING_FOR_APPROVAL' && (
          <Button variant="primary" disabled={approving.loading} onClick={() => void approve({ variables: { id: preview.id } })}>
            Approve
          </Button>
        )}
        {!gone(preview.status) && (
          <ConfirmDialog
            title={`Destroy the preview of ${preview.ref}?`}
            description="Its services, network, routes, volumes and images go now. The next push to its pull request, or previewing the branch again, brings up a new one."
            confirmLabel="Destroy"
            busy={destroying.loading}
            onConfirm={() => destroy({ variables: { id: preview.id } }).catch(() => undefined)}
            trigger={<Button variant="danger">Destroy</Button>}
          />
        )}
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-300">
        {/* A branch preview is titled with its branch: said once. */}
        {(preview.number || preview.headSha) && (
          <span>
            Branch <code>{preview.ref}</code>
            {preview.headSha ? <> at <code>{preview.headSha.slice(0, 7)}</code></> : null}
          </span>
        )}
        {preview.htmlUrl && (
          <a href={preview.htmlUrl} className="inline-flex items-center gap-1 underline" target="_blank" rel="noreferrer">
            <GitPullRequest size={14} aria-hidden /> Pull request
          </a>
        )}
        {preview.fromFork && <span>From a fork</span>}
        {gone(preview.status) ? <span>{preview.reason ? `Torn down: ${why[preview.reason] ?? preview.reason}` : ''}</span> : <span title={absoluteTime(preview.expiresAt)}>Expires {relativeTime(preview.expiresAt)}{preview.number ? ' (a push renews it)' : ''}</span>}
      </div>
      {preview.status === 'WAITING_FOR_APPROVAL' && (
        <p className="text-sm text-amber-700 dark:text-amber-300">From a fork: nothing runs until a project admin approves it (it runs with the project's secrets).</p>
      )}
      {preview.commentError && <p className="text-sm text-rose-700 dark:text-rose-300">Could not comment on the pull request: {preview.commentError}</p>}
      {preview.services.length > 0 && !gone(preview.status) && (
        <ul className="flex flex-col gap-1 text-sm" aria-label="Services">
          {preview.services.map((s) => (
            <li key={s.name} className="flex flex-wrap items-center gap-2">
              <span className="max-w-48 truncate font-medium">{s.name}</span>
              <StatusBadge status={s.status} />
              {s.url && (
                <a href={s.url} className="inline-flex min-w-0 items-center gap-1 truncate underline" target="_blank" rel="noreferrer">
                  {s.url} <ExternalLink size={12} aria-hidden />
                </a>
              )}
              <Link to={`/deployments/${s.deploymentId}`} className="text-sky-700 underline dark:text-sky-300">
                Logs
              </Link>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={destroying.error ?? approving.error} />
    </li>
  );
};
