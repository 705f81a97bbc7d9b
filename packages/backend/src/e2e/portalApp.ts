import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Builds the portal's frontend (packages/app) when it is stale, as
 * `npm start` does, so that the backend serves the sign-in and consent pages
 * a browser test visits. About a minute on two cores the first time; a
 * no-op afterwards.
 */
export function ensurePortalAppBuilt() {
  // Jest's NODE_ENV=test selects no browserslist environment of the app's,
  // and Rspack then refuses the query: build as `npm start` does.
  const { NODE_ENV, ...env } = process.env;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-app.js')], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
}
