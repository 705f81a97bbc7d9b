import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const BACKEND_DIR = path.resolve(__dirname, '../..');
/** The demo portal's config file, which `yarn start` loads. */
export const DEMO_APP_CONFIG = path.resolve(
  BACKEND_DIR,
  '../../app-config.yaml',
);
const CLI = require.resolve('@backstage/cli/bin/backstage-cli');

/** The demo backend's documented static tokens (see app-config.yaml). */
export const DEMO_TOKENS = {
  agent: 'demo-agent-token-change-me',
  catalogReader: 'demo-catalog-reader-token-change-me',
  /** Scoped by mcp.agents to the catalog tools that read. */
  scopedAgent: 'demo-scoped-agent-token-change-me',
  /** The ops console: an MCP administrator (kill switch) and nothing else. */
  admin: 'demo-admin-token-change-me',
};

export interface DemoBackend {
  baseUrl: string;
  mcpUrl: string;
  /** Where this backend's TechDocs publishes the sites it builds. */
  techdocsDir: string;
  /** The process group of the CLI and the backend process it runs. */
  processGroupId: number;
  /** Everything the backend printed so far (for log assertions). */
  output(): string;
  /** Starts measuring log output from now: returns what is printed after. */
  logsSince(): () => string;
  guestToken(): Promise<string>;
  stop(): Promise<void>;
}

/** The backend did not come up; `output` is everything it printed. */
export class DemoBackendStartError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}:\n${output.slice(-4000)}`);
    this.name = 'DemoBackendStartError';
  }
}

/**
 * What the backend prints when a plugin failed to start. The CLI that runs it
 * stays up (it waits for file changes), so the process exiting is no sign.
 */
const STARTUP_FAILED = /Backend startup failed/;

/** A TCP port on loopback that nothing listens on at the moment. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Boots packages/backend the way a user does (`yarn start`, i.e.
 * `backstage-cli package start` with the repository's app-config.yaml) on a
 * free port, and waits until the example catalog is ingested. Unless
 * `prebuiltDocs`, TechDocs builds with mkdocs and publishes into a fresh
 * directory, so that every run builds the example docs from their sources and
 * backends booted side by side do not share sites.
 */
export async function startDemoBackend(
  options: {
    timeoutMs?: number;
    /** Extra environment, e.g. `APP_CONFIG_...` overrides a test needs. */
    env?: Record<string, string>;
    /** Config files to load instead of the repository's app-config.yaml. */
    configFiles?: string[];
    /** The port to listen on (e.g. the same one again after a restart); a free one by default. */
    port?: number;
    /**
     * Serve the committed prebuilt TechDocs sites as `npm start` does
     * (`techdocs.builder: external`). By default the backend builds the
     * example docs with the machine's mkdocs into a fresh directory.
     */
    prebuiltDocs?: boolean;
  } = {},
): Promise<DemoBackend> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const techdocsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-techdocs-'));
  let output = '';
  const configArgs = (options.configFiles ?? []).flatMap(file => [
    '--config',
    file,
  ]);
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'package', 'start', ...configArgs],
    {
      cwd: BACKEND_DIR,
      detached: true,
      env: {
        ...process.env,
        // As `yarn start` runs it: the CLI sets NODE_ENV=development when it is
        // unset, but Jest's NODE_ENV=test would reach the backend, which then
        // installs no process-level error handlers, so that an error event no
        // library handles (a Redis socket closing) ends the process.
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        // The backend serves the app (when packages/app is built), at its
        // own origin, as in app-config.yaml.
        APP_CONFIG_app_baseUrl: baseUrl,
        ...(options.prebuiltDocs
          ? {}
          : {
              APP_CONFIG_techdocs_builder: 'local',
              APP_CONFIG_techdocs_publisher_local_publishDirectory: techdocsDir,
            }),
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', chunk => (output += chunk.toString()));
  child.stderr!.on('data', chunk => (output += chunk.toString()));

  const stopProcess = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const killTimer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(killTimer);
  };

  const stop = async () => {
    await stopProcess();
    fs.rmSync(techdocsDir, { recursive: true, force: true });
  };

  try {
    await waitForCatalog(
      baseUrl,
      options.timeoutMs ?? 120_000,
      () => output,
      child,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    baseUrl,
    mcpUrl: `${baseUrl}/api/mcp`,
    techdocsDir,
    processGroupId: child.pid!,
    output: () => output,
    logsSince: () => {
      const start = output.length;
      return () => output.slice(start);
    },
    guestToken: async () => {
      const response = await fetch(`${baseUrl}/api/auth/guest/refresh`);
      const body = await response.json();
      return body.backstageIdentity.token as string;
    },
    stop,
  };
}

async function waitForCatalog(
  baseUrl: string,
  timeoutMs: number,
  output: () => string,
  child: ChildProcess,
) {
  const deadline = Date.now() + timeoutMs;
  let checked = 0;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DemoBackendStartError(
        'The demo backend exited early',
        output(),
      );
    }
    const printed = output();
    if (STARTUP_FAILED.test(printed.slice(Math.max(0, checked - 100)))) {
      throw new DemoBackendStartError(
        'The demo backend failed to start',
        printed,
      );
    }
    checked = printed.length;
    try {
      const response = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/component/default/checkout-service`,
        { headers: { Authorization: `Bearer ${DEMO_TOKENS.agent}` } },
      );
      if (response.ok) {
        const entity = await response.json();
        if (
          (entity.relations ?? []).some(
            (r: { type: string }) => r.type === 'ownedBy',
          )
        ) {
          return;
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new DemoBackendStartError(
    'The demo backend did not ingest the catalog in time',
    output(),
  );
}
