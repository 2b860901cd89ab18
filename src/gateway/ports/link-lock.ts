import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LinkError } from './link-path.js';

/** Locks this process holds, released even when it exits without stop(). */
const held = new Set<LinkLock>();
let exitHookInstalled = false;

/**
 * Whether `pid` is a live catbridge. On Linux /proc tells what the process is, so a recycled pid
 * (another program now) does not keep a stale lock alive; elsewhere a live pid is taken for one.
 */
function liveCatbridge(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: gone
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(cmdline, 'latin1');
    return /catbridge|node/.test(args);
  } catch {
    return false;
  }
}

/**
 * A link belongs to the process that made it: before a port touches its link, it takes a lock file
 * beside it (`.<link name>.lock`, holding the pid). A lock whose process is a live catbridge refuses
 * the port — naming that process — so a second instance never replaces, or on its way out deletes, the
 * link of a running one. A lock left by a process that is gone is taken over.
 */
export class LinkLock {
  private released = false;

  private constructor(
    readonly link: string,
    readonly path: string,
  ) {}

  /** The lock file that guards `link` (an absolute path). */
  static pathFor(link: string): string {
    return join(dirname(link), `.${basename(link)}.lock`);
  }

  /** Takes the lock of `link`, or throws a LinkError naming the live catbridge that holds it. */
  static acquire(link: string): LinkLock {
    const path = LinkLock.pathFor(link);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        const lock = new LinkLock(link, path);
        held.add(lock);
        installExitHook();
        return lock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LinkError(`cannot lock ${link} (${path}): ${(err as Error).message}`);
        }
      }
      const holder = Number.parseInt(readFileSync(path, 'latin1'), 10);
      if (Number.isInteger(holder) && holder > 0 && liveCatbridge(holder)) {
        throw new LinkError(
          `${link} is in use by another catbridge (pid ${holder}, lock ${path}); stop it or configure another link`,
        );
      }
      // Left by a catbridge that is gone (killed): take it over.
      try {
        unlinkSync(path);
      } catch {
        // taken over by someone else meanwhile: the next attempt says who
      }
    }
    throw new LinkError(`cannot lock ${link}: ${path} keeps reappearing`);
  }

  /** Removes the lock file if it is still this process's. Never throws: it runs during shutdown. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    try {
      if (Number.parseInt(readFileSync(this.path, 'latin1'), 10) === process.pid) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}
