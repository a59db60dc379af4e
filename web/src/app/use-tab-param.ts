import { useSearchParams } from 'react-router';

/**
 * The open tab lives in the URL (`?tab=env`): a link or a reload opens the same tab, and Back
 * returns to the one before. The default tab keeps the URL clean.
 */
export const useTabParam = <T extends string>(tabs: readonly T[], fallback: T) => {
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as T | null;
  const tab = asked && tabs.includes(asked) ? asked : fallback;
  // Radix reports a click twice (mouse down, then focus): only a change of tab becomes a history entry.
  // The location, not this render's `tab`: the second report comes before React renders again.
  const setTab = (next: string) =>
    next !== (new URLSearchParams(window.location.search).get('tab') ?? fallback) &&
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === fallback) updated.delete('tab');
        else updated.set('tab', next);
        return updated;
      },
      { preventScrollReset: true },
    );
  return [tab, setTab] as const;
};
