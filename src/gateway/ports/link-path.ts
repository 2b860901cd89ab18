/**
 * The stable path clients open: a symlink to the pty's /dev/pts/N, which changes on every start.
 *
 * Links may live in shared directories such as /tmp, where another user can plant a symlink of their
 * own under the configured name and have our clients talk to their pty (GHSA-qxhr-cwrc-pvrm, against
 * another rig gateway). So: nothing is ever followed unchecked (lstat on every path component; a
 * symlinked directory must be ours or root's), another user's symlink in a shared
 * directory is never replaced, a path that is not a symlink is never overwritten, a directory that
 * others could rewrite behind our back is refused, and a replacement is atomic (a temporary link
 * renamed over the old one, so no window exists in which the name is free for someone else to take).
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readlinkSync, renameSync, type Stats, symlinkSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** A link that cannot be created safely; the message names the path and the reason. */
export class LinkError extends Error {
  override name = 'LinkError';
}

const STICKY = 0o1000;

/** `~` and `~/…` become the user's home; anything else is returned as is. */
export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return p;
}

/**
 * Where a port's link goes when the config names none: `$XDG_RUNTIME_DIR/catbridge/<port>` (a
 * per-user, per-session tmpfs that no other user can enter), else `~/.catbridge/<port>`. Computes the
 * path only; createLink makes the directory.
 */
export function defaultLinkPath(portName: string, env: NodeJS.ProcessEnv = process.env): string {
  if (portName === '' || portName === '.' || portName === '..' || portName.includes('/')) {
    throw new LinkError(`port name "${portName}" cannot name a file`);
  }
  const runtime = env.XDG_RUNTIME_DIR;
  const base = runtime && isAbsolute(runtime) ? join(runtime, 'catbridge') : join(homedir(), '.catbridge');
  return join(base, portName);
}

function euid(): number {
  return process.geteuid?.() ?? -1;
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/** Symlinked directories followed in one path at most (a loop is refused, not followed forever). */
const MAX_DIRECTORY_LINKS = 16;

/** A directory on the way to a link must be ours or root's, and not rewritable by everyone. */
function checkDirectory(dir: string, st: Stats): void {
  if (!st.isDirectory()) throw new LinkError(`${dir} is not a directory; cannot create a link in it`);
  const me = euid();
  if (st.uid !== me && st.uid !== 0) {
    throw new LinkError(
      `${dir} belongs to uid ${st.uid}, who could replace a link in it at any time; choose a directory of your own`,
    );
  }
  if ((st.mode & 0o002) !== 0 && (st.mode & STICKY) === 0) {
    throw new LinkError(
      `${dir} is world-writable without the sticky bit: anyone could replace a link in it; choose another directory`,
    );
  }
}

/**
 * Walks `dir` from the root, component by component, with lstat (never following anything unchecked):
 * each directory must pass checkDirectory, each missing one is created private (0700), and a symlinked
 * component (macOS's /tmp → /private/tmp) is trusted only if it belongs to us or root, and then its
 * target is walked the same way. Whoever owns a component could otherwise swap what lies below it —
 * another user's symlinked parent directory could later be repointed at their own pty. Returns the
 * directory's real path.
 */
function walkDirectory(dir: string, linksFollowed = { count: 0 }): string {
  let current = '/';
  checkDirectory(current, lstatSync(current));
  for (const part of dir.split('/').filter(Boolean)) {
    const next = join(current, part);
    let st = lstatOrNull(next);
    if (st === null) {
      try {
        mkdirSync(next, { mode: 0o700 });
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw err; // made meanwhile: checked like any other below
      }
      st = lstatSync(next);
    }
    if (st.isSymbolicLink()) {
      if (st.uid !== euid() && st.uid !== 0) {
        throw new LinkError(
          `${next} is a symlink owned by uid ${st.uid}, who could repoint it at any time; choose a directory of your own`,
        );
      }
      if (++linksFollowed.count > MAX_DIRECTORY_LINKS)
        throw new LinkError(`${dir}: too many symlinked directories`);
      const target = readlinkSync(next);
      current = walkDirectory(isAbsolute(target) ? target : join(current, target), linksFollowed);
      continue;
    }
    checkDirectory(next, st);
    current = next;
  }
  return current;
}

/** Makes missing directories private (0700) and checks every directory on the way to the link. */
function prepareDirectory(dir: string): { shared: boolean } {
  let st: Stats;
  try {
    st = lstatSync(walkDirectory(dir));
  } catch (err) {
    if (err instanceof LinkError) throw err;
    throw new LinkError(`cannot use ${dir} for a link: ${(err as Error).message}`);
  }
  return { shared: (st.mode & 0o022) !== 0 };
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Points `link` (a leading `~` is expanded) at `target` and returns the link's absolute path. An
 * existing symlink of ours (stale from a previous run, dangling or not) is replaced; anything else
 * there is an error that leaves it untouched.
 */
export function createLink(link: string, target: string): string {
  const path = resolve(expandHome(link));
  const dir = dirname(path);
  const { shared } = prepareDirectory(dir);
  const existing = lstatOrNull(path);
  if (existing === null) {
    try {
      symlinkSync(target, path); // fails with EEXIST rather than replace anything that appeared meanwhile
      return path;
    } catch (err) {
      if (errnoOf(err) === 'EEXIST')
        throw new LinkError(`${path} appeared while the link was being created; not replaced`);
      throw err;
    }
  }
  if (!existing.isSymbolicLink()) {
    throw new LinkError(
      `${path} exists and is not a symlink; refusing to overwrite it (remove it or configure another link)`,
    );
  }
  if (shared && existing.uid !== euid()) {
    throw new LinkError(
      `${path} is a symlink owned by uid ${existing.uid} in the shared directory ${dir}; refusing to follow or replace it`,
    );
  }
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  symlinkSync(target, temporary);
  try {
    renameSync(temporary, path);
  } catch (err) {
    unlinkSync(temporary);
    throw new LinkError(`cannot replace ${path}: ${(err as Error).message}`);
  }
  return path;
}

/**
 * Removes `link` if it is still our symlink to `target`; a link that someone has since replaced or
 * repointed is left alone. Returns whether it was removed. Never throws: it runs during shutdown.
 */
export function removeLink(link: string, target: string): boolean {
  const path = resolve(expandHome(link));
  try {
    const st = lstatSync(path);
    if (!st.isSymbolicLink() || st.uid !== euid() || readlinkSync(path) !== target) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}
