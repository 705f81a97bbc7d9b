import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './demoBackend';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the test's own: fault tests pause it (SIGSTOP)
 * without touching the shared one that other suites use at the same time.
 */
export interface PrivatePostgres {
  /** postgres://mcp_test:mcp_test@127.0.0.1:<port>, a superuser (trust on loopback). */
  readonly url: string;
  readonly port: number;
  readonly dataDirectory: string;
  /** The postmaster and every server process it started, postmaster first. */
  processIds(): number[];
  /**
   * Freezes the whole server (SIGSTOP to the postmaster, then to each of its
   * processes): connections stay open and queries never answer, as with a
   * hung host or a full disk, and new connections wait in the listen queue.
   * Returns the pids it stopped.
   */
  pause(): number[];
  /** Lets every paused process run again (SIGCONT). Safe to call when not paused. */
  resume(): void;
  /** Resumes, stops the server and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Debian keeps each major version's server under /usr/lib/postgresql/<version>/bin. */
function postgresBinDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(name => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions
    .map(version => path.join(root, version, 'bin'))
    .find(dir => fs.existsSync(path.join(dir, 'initdb')));
}

/** The children of a process, from /proc (pid, ppid in /proc/<pid>/stat). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // the process is gone
    }
  }
  return children;
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // the process is gone
  }
}

/**
 * Creates and starts a PostgreSQL cluster in a fresh temporary directory on a
 * free loopback port, with the machine's PostgreSQL binaries (Debian's
 * `postgresql` package; scripts/test-services.sh installs it). The server runs
 * as the `postgres` user when the test runs as root (PostgreSQL refuses root).
 * Test-only settings: no durability, no Unix socket.
 */
export async function startPrivatePostgres(
  options: { maxConnections?: number } = {},
): Promise<PrivatePostgres> {
  const binDirectory = postgresBinDirectory();
  if (!binDirectory) {
    throw new Error(
      'No PostgreSQL server under /usr/lib/postgresql: the fault tests start a cluster of their own. ' +
        'Install it with `apt-get install -y postgresql` (scripts/test-services.sh does, as root).',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? (await run('id', ['-u', 'postgres'])).stdout.trim()
    : undefined;
  const ownerGroup = asRoot
    ? (await run('id', ['-g', 'postgres'])).stdout.trim()
    : undefined;
  /** Runs a server binary as the cluster's owner, bounded in time. */
  const runTool = (tool: string, args: string[], timeoutMs: number) =>
    asRoot
      ? run(
          'runuser',
          ['-u', 'postgres', '--', path.join(binDirectory, tool), ...args],
          { timeout: timeoutMs },
        )
      : run(path.join(binDirectory, tool), args, { timeout: timeoutMs });

  const baseDirectory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'mcp-private-pg-'),
  );
  const dataDirectory = path.join(baseDirectory, 'data');
  const logFile = path.join(baseDirectory, 'server.log');
  if (asRoot) fs.chownSync(baseDirectory, Number(owner), Number(ownerGroup));

  let postmasterPid: number | undefined;
  /** Every pid pause() stopped, so that resume() reaches them even if they changed parent. */
  const paused = new Set<number>();
  let stopped = false;

  const processIds = () =>
    postmasterPid ? [postmasterPid, ...childrenOf(postmasterPid)] : [];
  const resume = () => {
    for (const pid of [...paused].reverse()) signal(pid, 'SIGCONT');
    paused.clear();
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    resume();
    try {
      if (postmasterPid) {
        await runTool(
          'pg_ctl',
          ['stop', '-D', dataDirectory, '-m', 'immediate', '-w', '-t', '30'],
          40_000,
        ).catch(() => {
          for (const pid of processIds().reverse()) signal(pid, 'SIGKILL');
        });
      }
    } finally {
      fs.rmSync(baseDirectory, { recursive: true, force: true });
    }
  };

  try {
    await runTool(
      'initdb',
      [
        '-D',
        dataDirectory,
        '-U',
        'mcp_test',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      120_000,
    );
    const port = await freePort();
    fs.appendFileSync(
      path.join(dataDirectory, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        "unix_socket_directories = ''",
        // A Backstage process holds a pool per plugin database.
        `max_connections = ${options.maxConnections ?? 200}`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    await runTool(
      'pg_ctl',
      ['start', '-D', dataDirectory, '-l', logFile, '-w', '-t', '60'],
      90_000,
    ).catch(error => {
      const log = fs.existsSync(logFile)
        ? fs.readFileSync(logFile, 'utf8').slice(-2000)
        : '';
      throw new Error(
        `Could not start the private PostgreSQL cluster: ${
          (error as Error).message
        }\n${log}`,
      );
    });
    postmasterPid = Number(
      fs
        .readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8')
        .split('\n')[0],
    );

    return {
      url: `postgres://mcp_test:mcp_test@127.0.0.1:${port}`,
      port,
      dataDirectory,
      processIds,
      pause() {
        if (!postmasterPid) return [];
        // The postmaster first: stopped, it starts no process that the loop
        // below would miss.
        signal(postmasterPid, 'SIGSTOP');
        paused.add(postmasterPid);
        for (const pid of childrenOf(postmasterPid)) {
          signal(pid, 'SIGSTOP');
          paused.add(pid);
        }
        return [...paused];
      },
      resume,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
