/*
 * OAuth end to end: an agent's MCP client (the official SDK's OAuth flow)
 * signs the developer in on the real portal (sign-in page and the auth
 * backend's consent page, in headless Chromium) and then acts as them.
 * Both registrations a portal offers are exercised: a Client ID Metadata
 * Document served over https, and dynamic client registration. Every step
 * the flow took is printed at the end (tokens as prefixes only).
 */
import fs from 'node:fs';
import {
  connectMcpClient,
  connectWithOAuth,
  InMemoryOAuthClient,
  McpTestClient,
} from '@backstage-mcp/test-utils';
import YAML from 'yaml';
import {
  DEMO_APP_CONFIG,
  DEMO_TOKENS,
  DemoBackend,
  startDemoBackend,
} from './demoBackend';
import { DeveloperBrowser } from './oauthBrowser';
import {
  LoopbackCallback,
  MetadataHost,
  startLoopbackCallback,
  startMetadataHost,
} from './oauthClientHost';
import { FlowRecord, keyFields, secretPrefix } from './oauthFlowRecord';
import { createPortalSigningKey, PortalSigningKey } from './oauthSigningKey';
import { ensurePortalAppBuilt } from './portalApp';

jest.setTimeout(300_000);

const GUEST = 'user:development/guest';
const LIST = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';

function demoCimdPatterns(): string[] {
  const config = YAML.parse(fs.readFileSync(DEMO_APP_CONFIG, 'utf8'));
  return config.auth.clientIdMetadataDocuments.allowedClientIdPatterns;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

const toolNames = async (client: McpTestClient) =>
  (await client.listTools()).map(tool => tool.name).sort();

describe('OAuth: an agent signs in on the portal and acts as the developer', () => {
  let backend: DemoBackend;
  let browser: DeveloperBrowser;
  let callback: LoopbackCallback;
  let metadataHost: MetadataHost;
  let signingKey: PortalSigningKey;
  let cimdClient: InMemoryOAuthClient;
  let dcrClient: InMemoryOAuthClient;
  const records: Array<[string, FlowRecord]> = [];
  const timings: string[] = [];

  const newRecord = (title: string) => {
    const record = new FlowRecord();
    records.push([title, record]);
    return record;
  };
  const timed = async <T>(label: string, run: () => Promise<T>) => {
    const started = Date.now();
    try {
      return await run();
    } finally {
      timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  const post = (token: string) =>
    fetch(backend.mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${token}`,
      },
      body: LIST,
    });
  const signIn = (
    client: InMemoryOAuthClient,
    name: string,
    record: FlowRecord,
  ) =>
    connectWithOAuth(backend.mcpUrl, client, {
      fetch: record.fetch,
      clientName: name,
      authorize: async url => {
        const shown = await browser.approve(url, record);
        expect(shown.clientName).toBe(client.clientMetadata.client_name);
        expect(shown.callbackUrl).toBe(callback.redirectUrl);
        expect(shown.requestedScopes).toBe('openid offline_access');
        const back = await callback.next();
        record.note('loopback callback', 'received', {
          code: secretPrefix(back.searchParams.get('code') ?? ''),
        });
        return back;
      },
    });

  beforeAll(async () => {
    await timed('portal app build (when stale)', async () =>
      ensurePortalAppBuilt(),
    );
    callback = await startLoopbackCallback();
    metadataHost = await startMetadataHost(() => cimdClient.metadataDocument());
    cimdClient = new InMemoryOAuthClient({
      clientName: 'OAuth e2e agent (metadata document)',
      redirectUrl: callback.redirectUrl,
      clientMetadataUrl: metadataHost.clientId,
    });
    dcrClient = new InMemoryOAuthClient({
      clientName: 'OAuth e2e agent (registered)',
      redirectUrl: callback.redirectUrl,
    });
    signingKey = createPortalSigningKey();
    backend = await timed('demo backend start', () =>
      startDemoBackend({
        timeoutMs: 240_000,
        // No MkDocs builds competing with the browser for the machine.
        prebuiltDocs: true,
        env: {
          // The portal trusts this agent's metadata host, as it trusts
          // claude.ai's and vscode.dev's.
          APP_CONFIG_auth_clientIdMetadataDocuments_allowedClientIdPatterns:
            JSON.stringify([...demoCimdPatterns(), metadataHost.clientId]),
          NODE_EXTRA_CA_CERTS: metadataHost.caFile,
          APP_CONFIG_auth_keyStore: signingKey.keyStoreConfig,
        },
      }),
    );
    browser = await DeveloperBrowser.launch();
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    await callback?.close();
    await metadataHost?.close();
    signingKey?.remove();
    // eslint-disable-next-line no-console
    console.log(
      [
        ...records.map(([title, record]) => record.format(title)),
        `Timings:\n  ${timings.join('\n  ')}`,
      ].join('\n\n'),
    );
  });

  it('discovers through the 401 and the metadata, signs in with a Client ID Metadata Document, and calls MCP as the guest', async () => {
    const record = newRecord('Client ID Metadata Document flow');
    const logs = backend.logsSince();
    const client = await timed(
      'CIMD sign-in (discovery, browser, code exchange)',
      () => signIn(cimdClient, 'oauth-e2e-cimd', record),
    );

    const steps = record.steps.map(step => `${step.step} -> ${step.status}`);
    // The first URL the MCP spec has clients try for an issuer with a path
    // (RFC 8414), where the plugin serves the auth backend's metadata: the
    // portal's frontend would answer it with index.html.
    expect(steps.slice(0, 3)).toEqual([
      'POST /api/mcp -> 401',
      'protected-resource metadata -> 200',
      'authorization-server metadata (/.well-known/oauth-authorization-server/api/auth) -> 200',
    ]);
    expect(record.steps[0].fields['WWW-Authenticate']).toBe(
      `Bearer resource_metadata="${backend.baseUrl}/.well-known/oauth-protected-resource/api/mcp", scope="openid"`,
    );
    expect(record.steps[1].fields.scopes_supported).toBe('openid');
    expect(record.steps[2].fields).toMatchObject({
      issuer: `${backend.baseUrl}/api/auth`,
      client_id_metadata_document_supported: 'true',
      code_challenge_methods_supported: 'S256 plain',
    });
    // CIMD: no registration request; the auth backend fetched the document.
    expect(steps).not.toContain('dynamic client registration -> 201');
    expect(steps).toContain('portal sign-in page (browser) -> shown');
    expect(steps).toContain('consent approval (browser) -> 200');
    expect(metadataHost.fetches()).toBeGreaterThan(0);
    expect(steps).toContain('token endpoint (authorization_code) -> 200');

    const tokens = cimdClient.tokens()!;
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope).toBe('openid offline_access');
    // A Backstage user token: the user, and no client or scope claim.
    const claims = claimsOf(tokens.access_token);
    expect(claims).toMatchObject({ sub: GUEST, aud: 'backstage' });
    expect(claims).not.toHaveProperty('client_id');
    expect(claims).not.toHaveProperty('azp');

    const whoami = await client.callTool('whoami');
    expect((whoami.structuredContent as any).principal).toMatchObject({
      type: 'user',
      user_entity_ref: GUEST,
    });
    record.note('MCP whoami with the OAuth token', 'ok', {
      user_entity_ref: (whoami.structuredContent as any).principal
        .user_entity_ref,
    });

    // The audit event names the user and the MCP client; Backstage's token
    // names no OAuth client, so the event carries none (see above).
    await new Promise(resolve => setTimeout(resolve, 500));
    const audit = logs()
      .split('\n')
      .find(line => /tool-call/.test(line) && /"tool":"whoami"/.test(line));
    expect(audit).toBeDefined();
    expect(audit).toContain(`"principal":"${GUEST}"`);
    expect(audit).toContain('"principalType":"user"');
    expect(audit).toContain('"client":{"name":"oauth-e2e-cimd"');
    expect(audit).not.toContain('oauthClientId');
    record.note('audit event of the whoami call', 'logged', {
      agent: /"agent":(\{[^}]*\}[^}]*\})/.exec(audit!)?.[1] ?? '?',
    });
    await client.close();
  });

  it('gets the guest’s tools under the demo policy, not an agent token’s', async () => {
    const oauth = await connectWithOAuth(backend.mcpUrl, cimdClient, {
      authorize: () => Promise.reject(new Error('Signed in already')),
    });
    const guest = await connectMcpClient('2026-07-28', backend.mcpUrl, {
      Authorization: `Bearer ${await backend.guestToken()}`,
    });
    const agent = await connectMcpClient('2026-07-28', backend.mcpUrl, {
      Authorization: `Bearer ${DEMO_TOKENS.agent}`,
    });
    const [viaOAuth, asGuest, asAgent] = await Promise.all([
      toolNames(oauth),
      toolNames(guest),
      toolNames(agent),
    ]);
    expect(viaOAuth).toEqual(asGuest);
    // The policy gives guests only the tools that read (and two scaffolder
    // tools): the unrestricted agent token has tools the guest lacks.
    const agentOnly = asAgent.filter(name => !viaOAuth.includes(name));
    expect(agentOnly.length).toBeGreaterThan(0);
    newRecord('Tool lists').note('tools/list', 'compared', {
      'OAuth (guest)': `${viaOAuth.length} tools`,
      'guest token': `${asGuest.length} tools, the same`,
      'demo-agent token': `${
        asAgent.length
      } tools; not for the guest: ${agentOnly.join(' ')}`,
    });
    await Promise.all([oauth.close(), guest.close(), agent.close()]);
  });

  it('registers with dynamic client registration, and the signed-in developer only approves', async () => {
    const record = newRecord('Dynamic client registration flow');
    const client = await timed(
      'DCR sign-in (already signed in: consent only)',
      () => signIn(dcrClient, 'oauth-e2e-dcr', record),
    );
    const registration = record.steps.find(
      step => step.step === 'dynamic client registration',
    );
    expect(registration?.status).toBe(201);
    expect(registration?.fields.redirect_uris).toBe(callback.redirectUrl);
    expect(registration?.fields.client_secret).toBeDefined();
    // The browser kept the portal session: no sign-in page this time.
    expect(record.steps.map(step => step.step)).not.toContain(
      'portal sign-in page (browser)',
    );
    const whoami = await client.callTool('whoami');
    expect((whoami.structuredContent as any).principal.user_entity_ref).toBe(
      GUEST,
    );
    await client.close();

    // Anyone may register, so the redirect decides who can receive a code.
    const foreign = await record.fetch(
      `${backend.baseUrl}/api/auth/v1/register`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_name: 'phisher',
          redirect_uris: ['https://attacker.example/callback'],
        }),
      },
    );
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).error).toBe('invalid_request');
  });

  it('refuses an expired access token with 401 and the challenge, and the SDK refreshes it', async () => {
    const record = newRecord('Expired access token and refresh');
    const before = cimdClient.tokens()!;
    const expired = signingKey.expire(before.access_token);
    const refused = await post(expired);
    await refused.text();
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate');
    expect(challenge).toBe(
      `Bearer resource_metadata="${backend.baseUrl}/.well-known/oauth-protected-resource/api/mcp", scope="openid", error="invalid_token"`,
    );
    record.note('MCP with the token one lifetime later (expired)', 401, {
      'WWW-Authenticate': challenge!,
    });

    cimdClient.replaceTokens({ access_token: expired });
    const client = await connectWithOAuth(backend.mcpUrl, cimdClient, {
      fetch: record.fetch,
      clientName: 'oauth-e2e-cimd',
      authorize: () => Promise.reject(new Error('Should have refreshed')),
    });
    const steps = record.steps.map(step => `${step.step} -> ${step.status}`);
    expect(steps).toContain('token endpoint (refresh_token) -> 200');
    const after = cimdClient.tokens()!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).toBeTruthy();
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(claimsOf(after.access_token).sub).toBe(GUEST);
    const whoami = await client.callTool('whoami');
    expect((whoami.structuredContent as any).principal.user_entity_ref).toBe(
      GUEST,
    );
    record.note('MCP whoami with the refreshed token', 'ok');
    await client.close();
  });

  it('after the refresh token is revoked, an expired token sends the agent back to the browser', async () => {
    const record = newRecord('Revoked refresh token');
    const { refresh_token: refreshToken, access_token: accessToken } =
      cimdClient.tokens()!;
    const revoked = await record.fetch(
      `${backend.baseUrl}/api/auth/v1/revoke`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: refreshToken!,
          token_type_hint: 'refresh_token',
          client_id: metadataHost.clientId,
        }).toString(),
      },
    );
    expect(revoked.status).toBe(200);

    const refresh = await record.fetch(`${backend.baseUrl}/api/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken!,
        client_id: metadataHost.clientId,
      }).toString(),
    });
    expect(refresh.status).toBe(400);
    expect(keyFields(await refresh.json()).error).toBe('invalid_grant');

    // Backstage access tokens are self-contained: the one in hand works
    // until it expires (auth.backstageTokenExpiration, one hour by default).
    const stillValid = await post(accessToken);
    await stillValid.text();
    expect(stillValid.status).toBe(200);
    record.note('MCP with the unexpired access token after revocation', 200);

    cimdClient.replaceTokens({ access_token: signingKey.expire(accessToken) });
    let sentToBrowser: URL | undefined;
    await expect(
      connectWithOAuth(backend.mcpUrl, cimdClient, {
        fetch: record.fetch,
        authorize: async url => {
          sentToBrowser = url;
          throw new Error('The developer did not come back');
        },
      }),
    ).rejects.toThrow('The developer did not come back');
    const steps = record.steps.map(step => `${step.step} -> ${step.status}`);
    expect(steps).toContain('POST /api/mcp -> 401');
    expect(
      steps.filter(step => step === 'token endpoint (refresh_token) -> 400'),
    ).toHaveLength(2);
    expect(sentToBrowser?.pathname).toBe('/api/auth/v1/authorize');
    record.note('SDK after the failed refresh', 'new authorization', {
      authorization_endpoint: sentToBrowser!.pathname,
    });
  });
});
