import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** As sent, query included and %-escapes kept: /api/v4/projects/acme%2Fshop/… */
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

interface StoredComment {
  id: number;
  body: string;
  author: string;
  system?: boolean;
}

/** A commit status as each host stores it; `state` in the host's own vocabulary. */
export interface StoredStatus {
  sha: string;
  state: string;
  name: string;
  description?: string;
  targetUrl?: string;
}

/**
 * GitHub's (Enterprise, under /api/v3) and GitLab's (/api/v4) comment and status endpoints as
 * their REST docs describe them, in memory, on 127.0.0.1: github.com and gitlab.com cannot be
 * reached from the tests. Pages hold `pageSize` items whatever per_page asks, as both hosts allow.
 */
export const startHostedApis = async ({ token, user, pageSize = 2 }: { token: string; user: string; pageSize?: number }) => {
  const requests: RecordedRequest[] = [];
  const comments = new Map<string, StoredComment[]>();
  const statuses: StoredStatus[] = [];
  const faults: { status: number | 'hang'; left: number; method?: string }[] = [];
  let nextId = 1000;
  /** Where GitHub's Link header points: its own origin unless a test says otherwise. */
  const settings: { linkOrigin?: string } = {};

  const thread = (key: string) => comments.get(key) ?? comments.set(key, []).get(key)!;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

  const page = <T>(items: T[], url: URL) => {
    const n = Math.max(1, Number(url.searchParams.get('page') ?? '1'));
    const last = Math.max(1, Math.ceil(items.length / pageSize));
    return { n, last, items: items.slice((n - 1) * pageSize, n * pageSize) };
  };

  const github = (req: IncomingMessage, res: ServerResponse, url: URL, body: { body?: string; state?: string; context?: string; description?: string; target_url?: string }) => {
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    let m = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const p = page(thread(`gh:${m[1]}/${m[2]}#${m[3]}`), url);
      const link = (n: number, rel: string) => {
        const to = new URL(`${url.pathname}${url.search}`, settings.linkOrigin ?? url.origin);
        to.searchParams.set('page', String(n));
        return `<${to.href}>; rel="${rel}"`;
      };
      const links = [p.n > 1 ? link(p.n - 1, 'prev') : '', p.n < p.last ? link(p.n + 1, 'next') : '', p.n < p.last ? link(p.last, 'last') : ''].filter(Boolean);
      return send(res, 200, p.items.map((c) => ({ id: c.id, body: c.body, user: { login: c.author } })), links.length ? { link: links.join(', ') } : {});
    }
    if (m && req.method === 'POST') {
      const created = { id: nextId++, body: String(body.body), author: user };
      thread(`gh:${m[1]}/${m[2]}#${m[3]}`).push(created);
      return send(res, 201, { id: created.id, body: created.body, user: { login: user } });
    }
    m = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && req.method === 'PATCH') {
      const found = [...comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!found) return send(res, 404, { message: 'Not Found' });
      if (found.author !== user) return send(res, 403, { message: 'Must have admin rights to Repository.' });
      found.body = String(body.body);
      return send(res, 200, { id: found.id, body: found.body, user: { login: user } });
    }
    m = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/statuses\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m && req.method === 'POST') {
      if (!['error', 'failure', 'pending', 'success'].includes(String(body.state))) return send(res, 422, { message: 'Validation Failed' });
      statuses.push({ sha: m[1], state: String(body.state), name: body.context ?? 'default', description: body.description, targetUrl: body.target_url });
      return send(res, 201, { state: body.state, context: body.context });
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const gitlab = (req: IncomingMessage, res: ServerResponse, url: URL, body: { body?: string; state?: string; name?: string; description?: string; target_url?: string }) => {
    if (req.headers.authorization !== `Bearer ${token}` && req.headers['private-token'] !== token) return send(res, 401, { message: '401 Unauthorized' });
    // The raw path: GitLab wants the project path URL-encoded into one segment.
    const raw = (req.url ?? '').split('?')[0];
    let m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes$/.exec(raw);
    if (m && req.method === 'GET') {
      const p = page(thread(`gl:${m[1]}!${m[2]}`), url);
      return send(res, 200, p.items.map((c) => ({ id: c.id, body: c.body, system: c.system ?? false, author: { username: c.author } })), {
        'x-page': String(p.n),
        'x-per-page': String(pageSize),
        'x-next-page': p.n < p.last ? String(p.n + 1) : '',
        'x-prev-page': p.n > 1 ? String(p.n - 1) : '',
        'x-total-pages': String(p.last),
      });
    }
    if (m && req.method === 'POST') {
      const created = { id: nextId++, body: String(body.body), author: user };
      thread(`gl:${m[1]}!${m[2]}`).push(created);
      return send(res, 201, { id: created.id, body: created.body, system: false, author: { username: user } });
    }
    m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes\/(\d+)$/.exec(raw);
    if (m && req.method === 'PUT') {
      const found = thread(`gl:${m[1]}!${m[2]}`).find((c) => c.id === Number(m![3]));
      if (!found) return send(res, 404, { message: '404 Note Not Found' });
      if (found.author !== user) return send(res, 403, { message: '403 Forbidden' });
      found.body = String(body.body);
      return send(res, 200, { id: found.id, body: found.body, system: false, author: { username: user } });
    }
    m = /^\/api\/v4\/projects\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(raw);
    if (m && req.method === 'POST') {
      const name = body.name ?? 'default';
      const current = statuses.filter((s) => s.sha === m![2] && s.name === name).at(-1);
      if (current && current.state === body.state) return send(res, 400, { message: `Cannot transition status via :enqueue from :${current.state}` });
      statuses.push({ sha: m[2], state: String(body.state), name, description: body.description, targetUrl: body.target_url });
      return send(res, 201, { sha: m[2], status: body.state, name });
    }
    return send(res, 404, { message: '404 Not found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const fault = faults.find((f) => f.method === undefined || f.method === req.method);
      if (fault) {
        if (--fault.left === 0) faults.splice(faults.indexOf(fault), 1);
        if (fault.status === 'hang') return; // never answers: the client's timeout ends it
        // A proxy in front of the API answers these, in HTML.
        return res.writeHead(fault.status, { 'content-type': 'text/html' }).end('<html><body><h1>Bad Gateway</h1></body></html>');
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (url.pathname.startsWith('/api/v3/')) return github(req, res, url, body ?? {});
      if (url.pathname.startsWith('/api/v4/')) return gitlab(req, res, url, body ?? {});
      send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    statuses,
    settings,
    /** The comments of one thread: `gh:acme/shop#7` or `gl:acme%2Fteam%2Fshop!3`. */
    thread,
    seed: (key: string, ...bodies: { body: string; author: string; system?: boolean }[]) => {
      for (const c of bodies) thread(key).push({ id: nextId++, ...c });
    },
    /** The next `times` requests (of `method`, if given) answer `status`, or never answer. */
    fail: (status: number | 'hang', times: number, method?: string) => faults.push({ status, left: times, method }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
};
