import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client';

/** The API names the field a refusal is about (extensions.field): show the message next to it. */
export const fieldError = (error: ErrorLike | undefined | null, field: string): string | null => {
  if (!error || !CombinedGraphQLErrors.is(error)) return null;
  return error.errors.find((e) => e.extensions?.field === field)?.message ?? null;
};

/** Errors not tied to one field, for the banner. */
export const formError = (error: ErrorLike | undefined | null, fields: string[]) => {
  if (!error) return null;
  if (!CombinedGraphQLErrors.is(error)) return error;
  const rest = error.errors.filter((e) => !fields.includes(String(e.extensions?.field)));
  return rest.length ? { message: rest.map((e) => e.message).join('; ') } : null;
};
