import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client';

/**
 * The API names a refused field by the path it checked: `input.port` (GraphQL input), `spec.port`
 * (the command), `spec.source.url`… A form field is matched by any of the path endings it answers to.
 */
const matches = (field: unknown, endings: string[]) => {
  const f = String(field ?? '');
  return endings.some((e) => f === e || f.endsWith(`.${e}`));
};

export const fieldErrorAt = (error: ErrorLike | undefined | null, endings: string[]): string | null => {
  if (!error || !CombinedGraphQLErrors.is(error)) return null;
  return error.errors.find((e) => matches(e.extensions?.field, endings))?.message ?? null;
};

/** What no field of the form shows, for the banner above it. */
export const unmatchedError = (error: ErrorLike | undefined | null, claimed: string[][]): { message: string } | null => {
  if (!error) return null;
  if (!CombinedGraphQLErrors.is(error)) return error;
  const rest = error.errors.filter((e) => !claimed.some((endings) => matches(e.extensions?.field, endings)));
  return rest.length ? { message: rest.map((e) => e.message).join('; ') } : null;
};
