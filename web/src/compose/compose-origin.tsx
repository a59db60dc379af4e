import { useQuery, useSubscription } from '@apollo/client/react';
import { FileCode } from 'lucide-react';
import { ProjectPageChanged } from '../project/project-documents';
import { Time } from '../ui/time';
import { ProjectComposeQuery } from './compose-documents';

const muted = 'text-slate-500 dark:text-slate-400';

/**
 * "From Compose: compose.yaml at main (1a2b3c4), read 2 minutes ago", with what the last reading
 * added, changed and removed, and its warnings behind a disclosure. Nothing when the project's
 * services were not imported from a file.
 */
export const ComposeOrigin = ({ projectId }: { projectId: string }) => {
  const { data, refetch } = useQuery(ProjectComposeQuery);
  // deployProject reads the file again: the line follows the project's changes.
  useSubscription(ProjectPageChanged, { onData: () => void refetch() });
  const compose = data?.projects.find((p) => p.id === projectId)?.compose;
  if (!compose) return null;
  const changes = [
    compose.added.length > 0 && `added ${compose.added.join(', ')}`,
    compose.changed.length > 0 && `changed ${compose.changed.map((c) => `${c.service} (${c.fields.join(', ')})`).join(', ')}`,
    compose.removed.length > 0 && `removed ${compose.removed.join(', ')}`,
  ].filter(Boolean);

  return (
    <section aria-label="Compose file" className="flex flex-col gap-1 text-sm">
      <p className="flex items-start gap-1.5">
        <FileCode size={16} aria-hidden className={`mt-0.5 shrink-0 ${muted}`} />
        <span>
          From Compose: <code title={compose.url}>{compose.path}</code> at <code>{compose.ref}</code> (<code title={compose.commit}>{compose.commit.slice(0, 7)}</code>), read <Time at={compose.readAt} />
        </span>
      </p>
      <p className={muted}>
        {changes.length ? `Last reading: ${changes.join('; ')}.` : 'Last reading: no changes.'}
        {compose.warnings.length === 0 && ' No warnings.'}
      </p>
      {compose.warnings.length > 0 && (
        <details className="group">
          <summary className="cursor-pointer text-amber-800 dark:text-amber-300">
            {compose.warnings.length === 1 ? '1 warning' : `${compose.warnings.length} warnings`}
          </summary>
          <ul className="mt-1 flex list-disc flex-col gap-1 pl-5 text-amber-900 dark:text-amber-100">
            {compose.warnings.map((w) => (
              <li key={w} className="whitespace-pre-line break-words">{w}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
};
