import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The program that has a port open, as the OS tells it. */
export interface PortHolder {
  pid: number;
  /** The process's name (`/proc/<pid>/comm`): `wsjtx`, `fldigi`, `rigctl`. */
  command: string;
}

/**
 * Which processes have `device` (a pty slave, /dev/pts/N) open, on Linux: a scan of /proc/<pid>/fd, as
 * `fuser` does. Processes of other users cannot be read and are not shown. Elsewhere the OS does not
 * say so cheaply: empty. Costs a readdir per process, so it runs when the REST API is asked, not per
 * byte on the port.
 */
export function portHolders(device: string): PortHolder[] {
  if (process.platform !== 'linux' || !device.startsWith('/dev/')) return [];
  const holders: PortHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === device;
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // exited between the two reads
    }
    holders.push({ pid: Number(pid), command });
  }
  return holders;
}
