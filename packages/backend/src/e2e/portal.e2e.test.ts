import { connectMcpClient } from '@backstage-mcp/test-utils';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DemoBackend, startDemoBackend } from './demoBackend';
import {
  ensureAppBuilt,
  launchChromium,
  screenshot,
  signInAsGuest,
  tabTo,
  unlabelledControls,
} from './portalBrowser';

/** The MCP page's own content. */
const MCP_PAGE = '[data-testid="mcp-page"]';

/**
 * The demo portal as a person uses it: the built app served by the demo
 * backend (as `npm start` runs it, TechDocs prebuilt), driven by headless
 * Chromium, signed in as the guest.
 */
describe('the demo portal in a browser, as the guest', () => {
  let backend: DemoBackend;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureAppBuilt();
    backend = await startDemoBackend({ prebuiltDocs: true });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: backend.baseUrl,
    });
    page = await context.newPage();
    await signInAsGuest(page, backend.baseUrl);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('opens the catalog, and a component from it', async () => {
    await page.goto(`${backend.baseUrl}/catalog`);
    await page.getByRole('link', { name: 'Payment Service' }).first().waitFor();
    await screenshot(page, 'catalog');
    await page.getByRole('link', { name: 'Payment Service' }).first().click();
    await page.waitForURL('**/catalog/default/component/payment-service**');
    await page.getByText('Orchestrates').first().waitFor();
    // The guest's policy hides confidential entities in the UI too.
    await page.goto(`${backend.baseUrl}/catalog`);
    await page.getByRole('link', { name: 'Payment Service' }).first().waitFor();
    expect(
      await page.getByRole('link', { name: 'Fraud Detection Service' }).count(),
    ).toBe(0);
  });

  it('shows a TechDocs page, served prebuilt', async () => {
    await page.goto(
      `${backend.baseUrl}/docs/default/component/payment-service/authentication/`,
    );
    const heading = page.getByRole('heading', { name: 'Getting a token' });
    await heading.waitFor();
    await expect(heading.isVisible()).resolves.toBe(true);
    await page.getByText('mutual TLS').first().waitFor();
    await screenshot(page, 'techdocs-payment-service-authentication');
  });

  it('finds catalog entities and TechDocs pages in search', async () => {
    // The collators index soon after start (15 s and 25 s, app-config.yaml).
    const deadline = Date.now() + 120_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      await page.goto(`${backend.baseUrl}/search?query=payment`);
      found = await page
        .getByText('Payment Service docs')
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
    }
    expect(found).toBe(true);
    await page.getByRole('link', { name: 'Payments' }).first().waitFor();
    await screenshot(page, 'search-payment');
  });

  it('connects agents with snippets that carry the portal URL, OAuth by default', async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    const mcpUrl = `${backend.baseUrl}/api/mcp`;
    const snippet = (id: string) =>
      page.getByTestId(`mcp-snippet-${id}`).innerText();
    await page.getByTestId('mcp-snippet-claude-code').waitFor();
    expect(await page.getByTestId('mcp-url').innerText()).toBe(mcpUrl);
    expect(await snippet('claude-code')).toBe(
      `claude mcp add --transport http backstage ${mcpUrl}`,
    );
    expect(JSON.parse(await snippet('cursor'))).toEqual({
      mcpServers: { backstage: { url: mcpUrl } },
    });
    expect(JSON.parse(await snippet('vscode'))).toEqual({
      servers: { backstage: { type: 'http', url: mcpUrl } },
    });
    expect(JSON.parse(await snippet('gemini-cli'))).toEqual({
      mcpServers: { backstage: { httpUrl: mcpUrl } },
    });
    await screenshot(page, 'mcp-connect-oauth');

    await page.getByRole('radio', { name: /Static token/ }).check();
    expect(await snippet('claude-code')).toBe(
      `claude mcp add --transport http backstage ${mcpUrl} --header "Authorization: Bearer \${BACKSTAGE_MCP_TOKEN}"`,
    );
    expect(JSON.parse(await snippet('cursor'))).toEqual({
      mcpServers: {
        backstage: {
          url: mcpUrl,
          headers: { Authorization: 'Bearer ${env:BACKSTAGE_MCP_TOKEN}' },
        },
      },
    });
    expect(
      JSON.parse(await snippet('gemini-cli')).mcpServers.backstage.headers,
    ).toEqual({ Authorization: 'Bearer $BACKSTAGE_MCP_TOKEN' });
    expect(
      JSON.parse(await snippet('vscode')).servers.backstage.headers,
    ).toEqual({ Authorization: 'Bearer ${input:backstage-mcp-token}' });
    await screenshot(page, 'mcp-connect-token');
    await page.getByRole('radio', { name: /OAuth/ }).check();
  });

  it("lists the tools the guest's tools/list has, and no administration", async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    await page.getByTestId('mcp-tool-count').waitFor();
    const shown = await page.getByTestId('mcp-tool-name').allInnerTexts();

    const guest = await connectMcpClient('2026-07-28', backend.mcpUrl, {
      Authorization: `Bearer ${await backend.guestToken()}`,
    });
    const listed = (await guest.listTools()).map(tool => tool.name);
    await guest.close();
    expect(shown).toEqual(listed);
    // The demo policy gives guests the read-only tools, and these two.
    expect(shown).toEqual(
      expect.arrayContaining(['catalog_search', 'scaffolder_run_template']),
    );
    expect(shown).not.toContain('catalog_register_entity');

    const effects = await page
      .getByTestId('mcp-tool')
      .filter({ hasText: 'scaffolder_cancel_task' })
      .innerText();
    expect(effects).toContain('destructive');
    expect(
      await page.getByRole('heading', { name: 'Administration' }).count(),
    ).toBe(0);
    const controls = await unlabelledControls(page, MCP_PAGE);
    expect(controls.checked).toBeGreaterThanOrEqual(6);
    expect(controls.unlabelled).toEqual([]);
    await screenshot(page, 'mcp-guest');
  });

  it('reaches the copy buttons by keyboard and copies a configuration', async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    await page.getByTestId('mcp-snippet-cursor').waitFor();
    await tabTo(page, /^Copy the Claude Code configuration$/);
    await page.keyboard.press('Enter');
    await page.getByText('Copied').first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `claude mcp add --transport http backstage ${backend.mcpUrl}`,
    );
    await tabTo(page, /^Copy the Cursor configuration$/);
    await page.keyboard.press('Space');
    expect(
      JSON.parse(await page.evaluate(() => navigator.clipboard.readText())),
    ).toEqual({ mcpServers: { backstage: { url: backend.mcpUrl } } });
  });

  it('serves the OAuth consent page of the auth backend', async () => {
    // An unknown session: the page is there and asks the auth backend.
    const sessionRead = page.waitForResponse(response =>
      response.url().endsWith('/api/auth/v1/sessions/no-such-session'),
    );
    await page.goto(`${backend.baseUrl}/oauth2/authorize/no-such-session`);
    // With the demo's OAuth on, the auth backend refuses an id that cannot
    // be a session (400); without it, it finds none (404). The page shows it.
    const status = (await sessionRead).status();
    expect([400, 404]).toContain(status);
    const error = page.getByText(new RegExp(`HTTP ${status}`)).first();
    await error.waitFor();
    expect(await error.isVisible()).toBe(true);
    await screenshot(page, 'oauth-consent-unknown-session');
  });
});
