/*
 * The backend process as /proc sees it: which process it is, how much CPU
 * time it has used and how much memory it holds. Linux only.
 */
import fs from 'node:fs';

/** proc(5): utime and stime are in clock ticks, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces: fields start after its ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * The backend's own process: `backstage-cli package start` runs it as a
 * child (`node ... src/index`) in the CLI's process group. Measuring it
 * rather than the group leaves out the CLI's file watcher and the MkDocs
 * builds the backend spawns.
 */
export function backendPid(processGroupId: number): number {
  for (const entry of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    const pid = Number(entry);
    try {
      // fields[2] is the process group (proc(5)).
      if (Number(statFields(pid)[2]) !== processGroupId) continue;
      const cmdline = fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0');
      if (cmdline.includes('src/index')) return pid;
    } catch {
      // the process ended between readdir and read
    }
  }
  throw new Error(
    `No backend process (src/index) in process group ${processGroupId}`,
  );
}

/** User plus system CPU time of the process (all its threads), in ms. */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  // fields[11] and [12] are utime and stime (proc(5)).
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

/** Resident set now and its peak so far, in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
