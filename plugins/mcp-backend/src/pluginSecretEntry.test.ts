import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { mcpPlugin } from './plugin';

const SECRET = 'hunter2-docs-host-token';
const ID = '00000000-0000-4000-8000-000000000000';

/**
 * Starts the plugin as the demo portal runs it: in development, where
 * Backstage's default error handler would add stack traces to error bodies.
 */
async function startBackend() {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    const backend = await startTestBackend({
      features: [
        mcpPlugin,
        catalogServiceMock.factory(),
        scaffolderServiceMock.mock().factory,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    return { backend, baseUrl: `http://localhost:${backend.server.port()}` };
  } finally {
    process.env.NODE_ENV = previous;
  }
}

describe('the secret entry page in a running backend', () => {
  let started: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    started = await startBackend();
  });
  afterAll(() => started.backend.stop());

  const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${started.baseUrl}/api/mcp/secrets/${ID}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });

  it.each([
    ['a 70 kB body', () => post(`apiToken=${SECRET}&padding=${'a'.repeat(70 * 1024)}`), 413],
    [
      'more than 50 parameters',
      () => post([`apiToken=${SECRET}`, ...Array.from({ length: 60 }, (_, i) => `field${i}=x`)].join('&')),
      413,
    ],
    [
      'an unknown charset',
      () => post(`apiToken=${SECRET}`, 'application/x-www-form-urlencoded; charset=klingon'),
      415,
    ],
    ['a body that is not a form', () => post(JSON.stringify({ apiToken: SECRET }), 'application/json'), 415],
  ])('answers %s with a plain page: no stack trace, nothing of what was sent', async (_case, send, status) => {
    const res = await send();
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/stack|\bat \S+ \(|node_modules|Error:/);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(text).toContain('Nothing was saved');
  });
});
