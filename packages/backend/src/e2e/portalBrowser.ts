import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// Test-only code (imported by *.e2e.test.ts only, never bundled).
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Browser, chromium, Page } from 'playwright-core';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const ROOT = path.resolve(__dirname, '../../../..');

/** Debian's Chromium; nothing downloads a browser. */
const CHROMIUM = process.env.MCP_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (gitignored). */
export const ARTIFACTS_DIR = path.join(ROOT, 'e2e-artifacts', 'portal');

/**
 * Builds packages/app unless it is up to date (scripts/build-app.js, which
 * `npm start` runs too), so the backend serves the current app. Test files
 * that run at once share one build.
 */
export function ensureAppBuilt() {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/build-app.js')],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(
      `Building packages/app failed:\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Headless Chromium, with a clear message when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests drive Debian's Chromium at ${CHROMIUM}, which is not installed: ` +
        'apt-get install -y chromium (.ci/run does it), or set MCP_TEST_CHROMIUM',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM });
}

/** Saves a full-page screenshot as a test artifact and prints its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`[portal e2e] screenshot: ${file}\n`);
  return file;
}

/** Signs in on the portal's sign-in page with its guest provider. */
export async function signInAsGuest(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  // `/` redirects to the catalog once signed in.
  await page.waitForURL(`${baseUrl}/catalog**`);
}

/** The accessible name of the focused element, as a screen reader says it. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const labelledBy = element.getAttribute('aria-labelledby');
    return (
      (
        element.getAttribute('aria-label') ??
        (labelledBy
          ? document.getElementById(labelledBy)?.textContent ?? ''
          : '') ??
        ''
      ).trim() ||
      (element as HTMLInputElement).labels?.[0]?.textContent?.trim() ||
      element.textContent?.trim() ||
      ''
    );
  });
}

/**
 * Presses Tab until the focused element's accessible name matches, as a
 * keyboard user moves through the page; fails after `max` presses.
 */
export async function tabTo(page: Page, name: RegExp, max = 80) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current);
  }
  throw new Error(
    `Tab never reached ${name} in ${max} presses; focus went through: ${seen
      .slice(-20)
      .join(' | ')}`,
  );
}

/**
 * The controls inside `scope` (a CSS selector), and those of them with no
 * accessible name (which should be none).
 */
export async function unlabelledControls(
  page: Page,
  scope: string,
): Promise<{ checked: number; unlabelled: string[] }> {
  return page.evaluate(container => {
    const controls = [
      ...(document
        .querySelector(container)
        ?.querySelectorAll<HTMLElement>(
          'button, input, textarea, select, [role="radio"], [role="button"]',
        ) ?? []),
    ];
    const unlabelled = controls
      .filter(element => {
        if (element.getAttribute('aria-hidden') === 'true') return false;
        if ((element as HTMLInputElement).type === 'hidden') return false;
        const labelledBy = element.getAttribute('aria-labelledby');
        const name =
          element.getAttribute('aria-label') ||
          (labelledBy && document.getElementById(labelledBy)?.textContent) ||
          (element as HTMLInputElement).labels?.[0]?.textContent ||
          element.getAttribute('title') ||
          element.textContent;
        return !name?.trim();
      })
      .map(element => element.outerHTML.slice(0, 200));
    return { checked: controls.length, unlabelled };
  }, scope);
}
