#!/usr/bin/env node
/*
 * `node scripts/bootstrap.js [yarn args...]`
 *
 * Installs the workspace with the committed Yarn release, then runs Yarn with
 * the given arguments. This is what lets a fresh machine with only Node.js and
 * npm run `npm start` / `npm test`: corepack cannot download Yarn everywhere.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const yarn = path.join(root, '.yarn/releases/yarn-4.18.1.cjs');

const env = { ...process.env, YARN_ENABLE_TELEMETRY: '0' };
// better-sqlite3 compiles from source; point node-gyp at the local Node
// headers instead of letting it try to download them.
if (!env.npm_config_nodedir) {
  const candidates = [path.dirname(path.dirname(process.execPath)), '/usr'];
  const found = candidates.find(dir =>
    fs.existsSync(path.join(dir, 'include/node/node.h')),
  );
  if (found) env.npm_config_nodedir = found;
}

function runYarn(args) {
  const result = spawnSync(process.execPath, [yarn, ...args], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const started = Date.now();
runYarn(process.env.CI ? ['install', '--immutable'] : ['install']);
console.log(
  `[bootstrap] dependencies ready in ${((Date.now() - started) / 1000).toFixed(
    1,
  )}s`,
);

const command = process.argv.slice(2);
if (command.length > 0) runYarn(command);
