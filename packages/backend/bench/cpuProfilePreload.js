/*
 * Preloaded into the demo backend by `npm run bench:profile` (NODE_OPTIONS=
 * --require ...): the first SIGUSR2 starts V8's CPU profiler, the second
 * stops it and writes the profile to $BENCH_CPU_PROFILE_DIR, so that the
 * profile covers the measured calls only. The same sampler as
 * `node --cpu-prof`, which Node 20 does not accept in NODE_OPTIONS.
 *
 * Plain JavaScript: NODE_OPTIONS preloads run before the TypeScript loader.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
// Only in the backend process, not in the CLI that starts it.
const isBackend = /[\\/]src[\\/]index(\.ts)?$/.test(process.argv[1] ?? '');

if (dir && isBackend) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
          session.post('Profiler.start', () =>
            fs.writeFileSync(path.join(dir, `started.${process.pid}`), ''),
          ),
        ),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      const file = path.join(dir, `backend.${process.pid}.cpuprofile`);
      fs.writeFileSync(
        `${file}.tmp`,
        JSON.stringify(error ? { error: String(error) } : result.profile),
      );
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
