import { GitHostError } from './git-host.client';
import { hostRequest, type HostApi, type HostRequestOptions } from './host-request';

export interface HostComment {
  id: number;
  body?: string | null;
}

/**
 * Edits the first comment carrying `marker`, page by page, or creates one. A marked comment the
 * token may not edit (someone copied the marker) is passed over, so ours is still found.
 */
export const upsertMarkedComment = async (
  pages: AsyncIterable<HostComment[]>,
  marker: string,
  edit: (id: number) => Promise<void>,
  create: () => Promise<number>,
): Promise<number> => {
  for await (const page of pages) {
    for (const comment of page) {
      if (!comment.body?.includes(marker)) continue;
      try {
        await edit(comment.id);
        return comment.id;
      } catch (e) {
        if (e instanceof GitHostError && (e.status === 403 || e.status === 404)) continue;
        throw e;
      }
    }
  }
  return create();
};

/** At most this many pages of comments are read: 10 000 comments at 100 a page. */
const MAX_PAGES = 100;

/** Pages linked by RFC 8288 `Link: <…>; rel="next"` headers (GitHub, Gitea). */
export async function* linkHeaderPages<T>(api: HostApi, firstPath: string, subject: string, options?: HostRequestOptions): AsyncGenerator<T[]> {
  let next: string | undefined = firstPath;
  for (let n = 0; next !== undefined && n < MAX_PAGES; n++) {
    const res: { headers: Headers; body: T[] } = await hostRequest<T[]>(api, { method: 'GET', path: next, subject }, options);
    yield res.body ?? [];
    next = nextLink(res.headers.get('link'));
  }
}

export const nextLink = (link: string | null): string | undefined => {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /(?:^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(?:;|$)/.test(m[2])) return m[1];
  }
  return undefined;
};
