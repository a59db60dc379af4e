import { useMutation } from '@apollo/client/react';
import { RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../ui/button';
import { OnceValue } from '../ui/copy-button';
import { ErrorNotice } from '../ui/notice';
import { RotateWebhookSecretMutation } from './project-documents';

const providers = [
  { id: 'github', label: 'GitHub' },
  { id: 'gitlab', label: 'GitLab' },
  { id: 'gitea', label: 'Gitea / Forgejo' },
];

/** Owners: a new secret for push-to-deploy, shown once with the webhook URLs to paste into the git host. */
export const WebhookSecret = ({ projectId }: { projectId: string }) => {
  const [rotate, { data, loading, error }] = useMutation(RotateWebhookSecretMutation);
  const [confirming, setConfirming] = useState(false);
  const secret = data?.rotateWebhookSecret;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Push to a tracked branch to deploy: add a webhook in your git host with one of these URLs and this project's secret. A new secret replaces the old one at once, so update
        every webhook after rotating.
      </p>
      <ul className="flex flex-col gap-1 text-sm">
        {providers.map((p) => (
          <li key={p.id} className="flex flex-wrap items-baseline gap-x-2">
            <span className="w-32 shrink-0 text-slate-500 dark:text-slate-400">{p.label}</span>
            <code className="break-all font-mono text-xs">{`${location.origin}/webhooks/${p.id}`}</code>
          </li>
        ))}
      </ul>
      {secret ? (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
          <OnceValue label="Webhook secret" value={secret} />
          <p className="text-xs text-amber-900 dark:text-amber-200">Copy it now: you will not see it again. Paste it as the webhook's secret (GitLab: secret token).</p>
        </div>
      ) : confirming ? (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span>Webhooks using the old secret will stop deploying until updated.</span>
          <Button variant="danger" disabled={loading} onClick={() => rotate({ variables: { projectId } }).catch(() => undefined)}>
            <RefreshCw size={16} aria-hidden /> {loading ? 'Rotating…' : 'Rotate now'}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>Cancel</Button>
        </div>
      ) : (
        <div>
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            <RefreshCw size={16} aria-hidden /> Rotate webhook secret
          </Button>
        </div>
      )}
      <ErrorNotice error={error} />
    </div>
  );
};
