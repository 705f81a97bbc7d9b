// Test-only helper (a devDependency), never part of the backend's bundle.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { FlowRecord } from './oauthFlowRecord';

/** Debian's Chromium: nothing in the tests downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the consent page showed the developer before they approved. */
export interface ConsentShown {
  clientName: string;
  callbackUrl: string;
  requestedScopes: string;
}

/**
 * A developer's browser: signs in to the portal when it asks (the guest
 * provider) and approves the agent on the auth backend's consent page. One
 * browser context for all flows, so that a second agent finds the developer
 * already signed in, as it would.
 */
export class DeveloperBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
  ) {}

  static async launch(): Promise<DeveloperBrowser> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in CI containers cannot use Chromium's sandbox.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    return new DeveloperBrowser(browser, await browser.newContext());
  }

  /**
   * Opens the authorization URL the MCP SDK produced and approves the
   * request, recording the authorization redirect, the sign-in and the
   * approval. Returns what the consent page showed.
   */
  async approve(
    authorizationUrl: URL,
    record: FlowRecord,
  ): Promise<ConsentShown> {
    const page = await this.context.newPage();
    try {
      page.on('response', response => {
        const url = new URL(response.url());
        if (url.pathname.endsWith('/api/auth/v1/authorize')) {
          record.note('authorization endpoint (browser)', response.status(), {
            location: new URL(
              response.headers().location ?? '',
              url,
            ).pathname.replace(/[0-9a-f-]{36}$/, '<session id>'),
          });
        } else if (
          /\/api\/auth\/v1\/sessions\/[^/]+\/approve$/.test(url.pathname)
        ) {
          record.note('consent approval (browser)', response.status());
        }
      });
      await page.goto(authorizationUrl.toString());
      const authorize = page.getByRole('button', { name: 'Authorize' });
      const enter = page.getByRole('button', { name: /^enter$/i });
      await authorize.or(enter).first().waitFor({ timeout: 60_000 });
      if (await enter.isVisible()) {
        record.note('portal sign-in page (browser)', 'shown', {
          provider: 'guest',
        });
        await enter.click();
        await authorize.waitFor({ timeout: 60_000 });
      }
      const shown = await readConsent(page);
      record.note('consent page (browser)', 'shown', { ...shown });
      await authorize.click();
      await page.waitForURL(/\/callback\?/, { timeout: 60_000 });
      return shown;
    } finally {
      await page.close();
    }
  }

  async close() {
    await this.browser.close();
  }
}

async function readConsent(page: Page): Promise<ConsentShown> {
  const detail = (term: string) =>
    page
      .locator('dt', { hasText: term })
      .locator('xpath=following-sibling::dd[1]')
      .innerText();
  return {
    clientName: (
      await page
        .getByText(/wants to access your/)
        .locator('xpath=..')
        .innerText()
    )
      .split('\n')[0]
      .trim(),
    callbackUrl: await detail('Callback URL'),
    requestedScopes: await detail('Requested scopes'),
  };
}
