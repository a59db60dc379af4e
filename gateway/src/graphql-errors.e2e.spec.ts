import { startPlatformProcess, waitUntil, type PlatformProcess } from '@slipway/testing';

/** What a GraphQL error tells a client about the server, against a real gateway started as `npm start` starts it. */
describe('security: GraphQL errors carry no server stack traces', () => {
  let gateway: PlatformProcess;
  const post = async (body: object) => {
    const res = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
  };

  beforeAll(async () => {
    // npm start sets no NODE_ENV (jest sets "test", which alone hid the traces).
    gateway = await startPlatformProcess('gateway', { waitForReady: false, env: { NODE_ENV: '' } });
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('answers syntax, validation, variable and resolver errors without a stacktrace or a file path', async () => {
    const answers = [
      await post({ query: '{ health { ' }),
      await post({ query: '{ nope }' }),
      await post({ query: 'query($n: Int!) { invitation(code: $n) { email } }', variables: { n: 'x' } }),
      await post({ query: '{ me { id } }' }),
      await post({ query: '{ invitation(code: "slw_i_nothing") { email } }' }),
    ];
    for (const answer of answers) {
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const error of answer.errors ?? []) expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
      expect(JSON.stringify(answer)).not.toMatch(/\/(dist|gateway|node_modules|work|home)\/|\.[jt]s:\d+/);
    }
  });
});
