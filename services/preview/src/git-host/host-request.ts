import { GitHostError, type GitHostProvider } from './git-host.client';

/** Tunables; tests shorten the backoff. */
export interface HostRequestOptions {
  fetch?: typeof fetch;
  /** Per request; 10 s by default. */
  timeoutMs?: number;
  /** The wait before each retry of a 5xx or network failure: at most this many retries. */
  retryDelaysMs?: number[];
}

/** How one host names itself, authenticates, and what a token needs to be allowed. */
export interface HostApi {
  provider: GitHostProvider;
  /** "GitHub", "GitLab", "Gitea". */
  label: string;
  /** e.g. https://api.github.com, https://gitlab.example.com/api/v4 (no trailing slash). */
  baseUrl: string;
  headers: Record<string, string>;
  /** What to give the token, for the 401/403 messages. */
  tokenNeeds: string;
  /** The status an answer means, where the host says it otherwise (Gitea: a missing issue is a 500). */
  meaning?: (status: number, said: string) => number;
}

export interface HostResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HostCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** A path under baseUrl, or an absolute next-page URL the host gave (only on baseUrl's origin). */
  path: string;
  body?: unknown;
  /** What the call is about, for messages: "pull request #4 of acme/shop". */
  subject: string;
  /**
   * A call that creates something is retried only when it surely did not reach the host
   * (connection refused): a retry after a lost answer would post a second comment.
   */
  creates?: boolean;
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** One JSON call to a host's REST API: a timeout per attempt, a few retries with backoff, readable errors. */
export const hostRequest = async <T>(api: HostApi, call: HostCall, options: HostRequestOptions = {}): Promise<HostResponse<T>> => {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const delays = (options.retryDelaysMs ?? [500, 1_500]).slice(0, 2);
  const url = resolveUrl(api, call.path);
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: call.method,
        headers: { ...api.headers, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const code = errorCode(e);
      const retry = attempt < delays.length && (!call.creates || NEVER_SENT.has(code));
      if (retry) {
        await sleep(delays[attempt]);
        continue;
      }
      throw new GitHostError(
        code === 'TimeoutError'
          ? `${api.label} did not answer within ${timeoutMs / 1000} s (${call.method} for ${call.subject}); try again later`
          : `Could not reach ${api.label} at ${api.baseUrl} (${code}); check the host name and that Slipway can reach it`,
        api.provider,
      );
    }
    const status = api.meaning?.(res.status, hostMessage(text)) ?? res.status;
    if (status >= 500 && attempt < delays.length && !call.creates) {
      await sleep(delays[attempt]);
      continue;
    }
    if (status >= 400) throw refusal(api, call, res, status, text, attempt + 1);
    let body: T;
    try {
      body = (text ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new GitHostError(`${api.label} answered ${call.method} for ${call.subject} with something that is not JSON; is ${api.baseUrl} its API?`, api.provider, res.status);
    }
    return { status: res.status, headers: res.headers, body };
  }
};

const resolveUrl = (api: HostApi, path: string): string => {
  if (!/^https?:\/\//.test(path)) return `${api.baseUrl}${path}`;
  // The token goes only to the API it was given for, whatever a Link header says.
  if (new URL(path).origin !== new URL(api.baseUrl).origin) {
    throw new GitHostError(`${api.label} pointed the next page to another host (${new URL(path).origin}); refusing to send the token there`, api.provider);
  }
  return path;
};

const refusal = (api: HostApi, call: HostCall, res: Response, s: number, text: string, attempts: number): GitHostError => {
  const said = hostMessage(text);
  const because = said ? `: ${said}` : '';
  const limited = s === 429 || (s === 403 && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after')));
  const message =
    s === 401
      ? `${api.label} refused the token (401): give a token with ${api.tokenNeeds}`
      : limited
        ? `${api.label} rate-limited the token (${s}) for ${call.subject}; try again${resetAt(res)}`
        : s === 403
          ? `${api.label} denied the token access to ${call.subject} (403)${because}; give a token with ${api.tokenNeeds} whose user can write to the repository`
          : s === 404
            ? `${api.label} did not find ${call.subject} (404): check the repository URL and the number, and that the token can see the repository`
            : s >= 500
              ? `${api.label} failed (${s}) for ${call.subject}${attempts > 1 ? ` ${attempts} times` : ''}${because}; try again later`
              : `${api.label} rejected ${call.method} for ${call.subject} (${s})${because}`;
  return new GitHostError(message, api.provider, s);
};

const resetAt = (res: Response): string => {
  const reset = Number(res.headers.get('x-ratelimit-reset') ?? res.headers.get('ratelimit-reset'));
  return Number.isFinite(reset) && reset > 1e9 ? ` after ${new Date(reset * 1000).toISOString()}` : ' later';
};

/** The host's own words, short: GitHub and Gitea say `message`, GitLab `message` or `error`. */
const hostMessage = (text: string): string => {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const said = parsed.message ?? parsed.error;
    const flat = typeof said === 'string' ? said : said === undefined ? '' : JSON.stringify(said);
    return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
  } catch {
    return '';
  }
};

const errorCode = (e: unknown): string => {
  const err = e as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError') return 'TimeoutError';
  return err.cause?.code ?? err.code ?? err.name ?? 'network error';
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
