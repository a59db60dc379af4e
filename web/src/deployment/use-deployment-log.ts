import { useApolloClient } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { LogStore } from './log-store';
import { DeploymentLogsSub } from './queries';

/**
 * Follows a deployment's log: every stored line, then new ones as they are written. Lines go straight
 * into a LogStore (no cache, no React state per line). After an error, retry() carries on after the
 * last line held.
 */
export const useDeploymentLog = (deploymentId: string) => {
  const client = useApolloClient();
  const store = useMemo(() => new LogStore(), [deploymentId]);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(null);
    const sub = client
      .subscribe({ query: DeploymentLogsSub, variables: { id: deploymentId, after: store.lastCursor }, fetchPolicy: 'no-cache' })
      .subscribe({
        next: (result) => {
          if (result.data) store.push(result.data.deploymentLogs);
          if (result.error) setError(result.error);
        },
        error: (err: Error) => setError(err),
      });
    return () => sub.unsubscribe();
  }, [client, deploymentId, store, attempt]);
  return { store, error, retry: () => setAttempt((n) => n + 1) };
};
