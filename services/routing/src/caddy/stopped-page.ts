/**
 * What a stopped service's hostnames answer: a page that says so, over HTTPS with the hostname's
 * own certificate (the name stays in the route and its TLS policy), never a TLS error or a 502.
 * 503 with Retry-After: crawlers and monitors read "temporarily unavailable", not "gone".
 */
export const STOPPED_PAGE_MARKER = 'slipway-stopped';

const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Stopped</title>
<style>body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#1f2933}
main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.5rem;margin:0 0 .5rem}p{margin:0;color:#52606d}</style></head>
<body><main id="${STOPPED_PAGE_MARKER}"><h1>{http.request.host} is stopped</h1>
<p>Its owner stopped this app. It answers here again as soon as they start it.</p></main></body>
</html>
`;

export const stoppedPageHandler = (): Record<string, unknown> => ({
  handler: 'static_response',
  status_code: 503,
  headers: { 'Content-Type': ['text/html; charset=utf-8'], 'Retry-After': ['300'], 'Cache-Control': ['no-store'] },
  body: html,
});
