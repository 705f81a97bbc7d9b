import fs from 'node:fs';

/** One process of a process group, as /proc shows it. */
export interface GroupProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
  /** Resident set size (VmRSS) in kB. */
  rssKb: number;
}

/**
 * The processes of a process group (Linux /proc): for a demo backend, the
 * `backstage-cli package start` process and the backend process it runs.
 */
export function groupProcesses(processGroupId: number): GroupProcess[] {
  const found: GroupProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", comm may hold spaces.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (
        Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !==
        processGroupId
      )
        continue;
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      found.push({
        pid: Number(entry),
        command: fs
          .readFileSync(`/proc/${entry}/cmdline`, 'utf8')
          .split('\0')
          .join(' ')
          .trim(),
        rssKb: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0),
      });
    } catch {
      // the process ended between readdir and read
    }
  }
  return found;
}

/**
 * The backend process of a demo backend's group: the CLI runs it as a child
 * node process that loads the backend's source (`src/index`), and it holds
 * the backend's memory.
 */
export function backendProcess(processGroupId: number): GroupProcess {
  const processes = groupProcesses(processGroupId);
  const backend = processes.find(p => /\bsrc\/index\b/.test(p.command));
  if (!backend) {
    throw new Error(
      `No backend process (running src/index) in process group ${processGroupId}: ${JSON.stringify(
        processes.map(p => p.command),
      )}`,
    );
  }
  return backend;
}

/** Whether the process still exists (it may be a zombie no one reaped). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
