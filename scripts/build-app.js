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

const LOCK = path.join(root, 'packages/app/.build-lock');
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 15 * 60_000;

/**
 * One build at a time: test files that run in parallel each make sure the
 * app is built, and the second waits for the first instead of building too.
 */
function lock() {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age =
        Date.now() -
        (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > STALE_LOCK_MS) {
        fs.rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}

function build() {
  if (!process.argv.includes('--force') && upToDate()) {
    console.log('[build-app] packages/app/dist is up to date');
    return 0;
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
    // The bundler lists every chunk it wrote (hundreds of lines): shown
    // only when the build fails.
    {
      cwd: root,
      // A production build whoever runs it (Jest sets NODE_ENV=test, for
      // which the app's browserslist has no query).
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    return result.status ?? 1;
  }
  console.log(
    `[build-app] built packages/app in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)}s`,
  );
  return 0;
}

lock();
let status;
try {
  status = build();
} finally {
  fs.rmSync(LOCK, { recursive: true, force: true });
}
process.exit(status);
