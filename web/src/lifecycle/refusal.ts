/** The API's own words for a refusal (it words them plainly), without the client's prefix. */
export const refusalOf = (error: unknown): string =>
  error instanceof Error ? error.message.replace(/^\[GraphQL\] /, '') : 'The request did not reach the server: check your connection and try again';

/** Runs a mutation; resolves to its refusal in words, or null when it went through. */
export const attempt = async (run: () => Promise<unknown>): Promise<string | null> => {
  try {
    await run();
    return null;
  } catch (error) {
    return refusalOf(error);
  }
};
