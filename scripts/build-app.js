#!/usr/bin/env node
/*
 * `node scripts/build-app.js [--force]`
 *
 * Builds the portal's frontend (packages/app) unless packages/app/dist is
 * newer than everything it is built from, so that `npm start` and the browser
 * tests build it once (about a minute on two cores) and then reuse it. The
 * backend injects app-config.yaml into the built app when it serves it, so
 * configuration changes need no rebuild.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'packages/app/dist/index.html.tmpl');
const SOURCES = [
  'packages/app/src',
  'packages/app/public',
  'packages/app/package.json',
  'plugins/mcp/src',
  'plugins/mcp/package.json',
  'plugins/mcp-common/src',
  'yarn.lock',
];

/** The newest modification time under `file` (a file or a directory tree). */
function newest(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(file)
    .reduce(
      (latest, entry) => Math.max(latest, newest(path.join(file, entry))),
      stat.mtimeMs,
    );
}

function upToDate() {
  const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs;
  if (!builtAt) return false;
  return SOURCES.every(source => newest(path.join(root, source)) < builtAt);
}

if (!process.argv.includes('--force') && upToDate()) {
  console.log('[build-app] packages/app/dist is up to date');
  process.exit(0);
}
const started = Date.now();
console.log('[build-app] building packages/app');
const result = spawnSync(
  process.execPath,
  [
    path.join(root, '.yarn/releases/yarn-4.18.1.cjs'),
    'workspace',
    'app',
    'build',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(
  `[build-app] built packages/app in ${((Date.now() - started) / 1000).toFixed(
    1,
  )}s`,
);
