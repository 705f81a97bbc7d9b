import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/** A Redis server of a test's own, which the test may kill and start again. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  readonly running: boolean;
  /** Kills the server at once (SIGKILL), as a crash or a lost node does. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port answers PING with PONG, or fails after `timeoutMs`. */
async function untilPong(
  port: number,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `redis-server on port ${port} exited (${child.exitCode}):\n${output()}`,
      );
    }
    const answered = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(500, () => socket.destroy());
      socket.on('error', () => resolve(false));
      socket.on('close', () => resolve(false));
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', data => {
        resolve(data.toString().startsWith('+PONG'));
        socket.destroy();
      });
    });
    if (answered) return;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${output()}`,
  );
}

/**
 * Starts `redis-server` (Debian's `redis-server` package, which
 * scripts/test-services.sh installs) on a free port of 127.0.0.1, keeping
 * nothing on disk. Stop it with `kill()` before the test ends.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    let output = '';
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout!.on('data', chunk => (output += chunk.toString()));
    started.stderr!.on('data', chunk => (output += chunk.toString()));
    const spawnFailed = new Promise<never>((_, reject) =>
      started.once('error', error =>
        reject(
          new Error(
            `Could not start redis-server (apt-get install redis-server): ${error.message}`,
          ),
        ),
      ),
    );
    child = started;
    await Promise.race([untilPong(port, started, () => output), spawnFailed]);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return (
        child !== undefined &&
        child.exitCode === null &&
        child.signalCode === null
      );
    },
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null)
        return;
      const exited = new Promise(resolve => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    start,
  };
}
