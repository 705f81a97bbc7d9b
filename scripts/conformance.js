#!/usr/bin/env node
/*
 * `node scripts/conformance.js`
 *
 * Runs the official MCP conformance suite against the demo portal, as CI
 * does (.ci/run), and compares the results with the checked-in expected
 * failures (packages/backend/src/conformance/expected-failures-*.yaml):
 *
 *   - @modelcontextprotocol/conformance@0.1.16, `--suite all` (2025 era);
 *   - @modelcontextprotocol/conformance@0.2.0-alpha.12,
 *     `--requirements 2026-07-28` (the 2026 era).
 *
 * A scenario that fails without being listed, or that passes while listed,
 * fails the run (the suite's own --expected-failures rule).
 *
 * The suite needs Node.js 22, installed from the npm package
 * node-<platform>-<arch>@22 into a cache directory (MCP_CONFORMANCE_CACHE,
 * by default the system's temp directory): nothing else downloads Node.
 *
 * The demo backend starts with MCP_CONFORMANCE=1, which adds the suite's
 * fixture tools, resources and prompts (packages/backend/src/conformance),
 * on a free port. The suite sends no Authorization header: a loopback proxy
 * in this script adds a static token made up for this run (configured for
 * this run only, through APP_CONFIG_ variables) and passes everything else,
 * Host and Origin included, through unchanged.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const backendDir = path.join(root, 'packages/backend');
const fixturesDir = path.join(backendDir, 'src/conformance');

const SUITES = [
  {
    label: '2025-11-25 era',
    version: '0.1.16',
    args: ['--suite', 'all'],
    expectedFailures: path.join(fixturesDir, 'expected-failures-2025.yaml'),
  },
  {
    label: '2026-07-28 era',
    version: '0.2.0-alpha.12',
    args: ['--requirements', '2026-07-28'],
    expectedFailures: path.join(fixturesDir, 'expected-failures-2026.yaml'),
  },
];

const log = message => console.log(`[conformance] ${message}`);
const seconds = since => `${Math.round((Date.now() - since) / 1000)} s`;

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Node 22 from the npm registry, cached; returns the directory of its `node`. */
function installNode22(cacheDir) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(cacheDir, 'node22');
  const bin = path.join(prefix, 'node_modules', pkg, 'bin');
  const version = () =>
    spawnSync(path.join(bin, 'node'), ['--version'], {
      encoding: 'utf8',
    }).stdout?.trim() ?? '';
  if (!version().startsWith('v22.')) {
    log(`installing Node 22 (npm package ${pkg}@22) into ${prefix}`);
    const npm = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        `${pkg}@22`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (npm.status !== 0 || !version().startsWith('v22.')) {
      throw new Error(`could not install ${pkg}@22 with npm`);
    }
  }
  log(`Node ${version()} for the suite`);
  return bin;
}

/** Starts the demo backend with the fixtures; resolves once MCP answers. */
async function startBackend({ port, proxyPort, token, workDir }) {
  const cli = require.resolve('@backstage/cli/bin/backstage-cli', {
    paths: [backendDir],
  });
  let output = '';
  const child = spawn(process.execPath, [cli, 'package', 'start'], {
    cwd: backendDir,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      MCP_CONFORMANCE: '1',
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
      APP_CONFIG_techdocs_publisher_local_publishDirectory: path.join(
        workDir,
        'techdocs',
      ),
      // The suite's valid requests come from the proxy's origin.
      APP_CONFIG_mcp_allowedOrigins: JSON.stringify([
        `http://localhost:${proxyPort}`,
      ]),
      // This run's token only, replacing the demo's documented ones.
      APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
        { type: 'static', options: { token, subject: 'conformance-suite' } },
      ]),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || /Backend startup failed/.test(output)) break;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/mcp`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'probe', version: '1' },
          },
        }),
      });
      if (response.ok) return { stop, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  await stop();
  throw new Error(`the demo backend did not start:\n${output.slice(-4000)}`);
}

/** A loopback proxy that adds the run's token to requests without one. */
async function startProxy({ port, backendPort, token }) {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    if (!headers.authorization) headers.authorization = `Bearer ${token}`;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backendPort,
        method: req.method,
        path: req.url,
        headers,
      },
      response => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // A client that hangs up ends the upstream request too (SSE streams).
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise(resolve => server.listen(port, '127.0.0.1', resolve));
  return () => new Promise(resolve => server.close(() => resolve()));
}

/** Runs one suite; its exit status applies the expected failures. */
function runSuite(suite, url, nodeBin, outputDir) {
  return new Promise(resolve => {
    const args = [
      '-y',
      `@modelcontextprotocol/conformance@${suite.version}`,
      'server',
      '--url',
      url,
      ...suite.args,
      '--expected-failures',
      suite.expectedFailures,
      '-o',
      outputDir,
    ];
    log(`${suite.label}: npx ${args.join(' ')}`);
    let output = '';
    const child = spawn('npx', args, {
      cwd: os.tmpdir(),
      env: {
        ...process.env,
        PATH: `${nodeBin}${path.delimiter}${process.env.PATH}`,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', chunk => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', chunk => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', status => resolve({ status, output }));
  });
}

/** Scenario verdicts from the suite's result folders: scenario → passed. */
function scenarioVerdicts(outputDir) {
  const verdicts = new Map();
  for (const entry of fs.existsSync(outputDir)
    ? fs.readdirSync(outputDir)
    : []) {
    const file = path.join(outputDir, entry, 'checks.json');
    if (!fs.existsSync(file)) continue;
    const checks = JSON.parse(fs.readFileSync(file, 'utf8'));
    const scenario = entry
      .replace(/^server-/, '')
      .replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    // As the suite judges a baseline: a warning (a SHOULD missed) fails too.
    const failed = checks.some(
      check => check.status === 'FAILURE' || check.status === 'WARNING',
    );
    verdicts.set(scenario, (verdicts.get(scenario) ?? true) && !failed);
  }
  return verdicts;
}

function expectedFailures(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(line => /^\s*-\s*([\w./:-]+)/.exec(line)?.[1])
    .filter(Boolean);
}

async function main() {
  const started = Date.now();
  const cacheDir =
    process.env.MCP_CONFORMANCE_CACHE ??
    path.join(os.tmpdir(), 'backstage-mcp-conformance');
  fs.mkdirSync(cacheDir, { recursive: true });
  const nodeBin = installNode22(cacheDir);

  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'mcp-conformance-run-'),
  );
  const token = crypto.randomBytes(24).toString('base64url');
  const [backendPort, proxyPort] = [await freePort(), await freePort()];
  log(
    `starting the demo backend with the conformance fixtures on port ${backendPort}`,
  );
  const backend = await startBackend({
    port: backendPort,
    proxyPort,
    token,
    workDir,
  });
  const stopProxy = await startProxy({ port: proxyPort, backendPort, token });
  log(
    `backend up in ${seconds(
      started,
    )}; the suite talks to http://localhost:${proxyPort}/api/mcp`,
  );

  const summaries = [];
  let failed = false;
  try {
    for (const suite of SUITES) {
      const suiteStarted = Date.now();
      const outputDir = path.join(workDir, `results-${suite.version}`);
      const { status } = await runSuite(
        suite,
        `http://localhost:${proxyPort}/api/mcp`,
        nodeBin,
        outputDir,
      );
      const verdicts = scenarioVerdicts(outputDir);
      const expected = new Set(
        expectedFailures(suite.expectedFailures).map(
          entry => entry.split(':')[0],
        ),
      );
      const failing = [...verdicts]
        .filter(([, ok]) => !ok)
        .map(([name]) => name);
      // The suite leaves scenarios that its requirement set does not score
      // out of its verdict; these rules hold for every scenario it runs.
      const unexpected = failing.filter(name => !expected.has(name));
      const stale = [...expected].filter(name => verdicts.get(name) !== false);
      const problems = [
        ...(unexpected.length
          ? [`new failures: ${unexpected.join(', ')}`]
          : []),
        ...(stale.length
          ? [
              `listed as expected failures but not failing (remove them): ${stale.join(
                ', ',
              )}`,
            ]
          : []),
        ...(status !== 0 ? [`the suite exited ${status}`] : []),
        ...(verdicts.size === 0 ? ['no scenario ran'] : []),
      ];
      summaries.push(
        `${suite.label} (conformance@${suite.version} ${suite.args.join(
          ' ',
        )}): ${verdicts.size} scenarios, ` +
          `${verdicts.size - failing.length} passed, ${
            failing.length
          } failed ` +
          `(${failing.length - unexpected.length} expected), ${seconds(
            suiteStarted,
          )}` +
          `${problems.length ? ` — FAILED: ${problems.join('; ')}` : ''}`,
      );
      if (problems.length) failed = true;
    }
  } finally {
    await stopProxy();
    await backend.stop();
    if (process.env.MCP_CONFORMANCE_KEEP) log(`results kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log();
  for (const line of summaries) log(line);
  log(`${failed ? 'FAILED' : 'ok'} in ${seconds(started)}`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(`[conformance] ${error.stack ?? error}`);
  process.exit(1);
});
