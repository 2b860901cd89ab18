/**
 * The stable path clients open: a symlink to the pty's /dev/pts/N, which changes on every start.
 *
 * Links may live in shared directories such as /tmp, where another user can plant a symlink of their
 * own under the configured name and have our clients talk to their pty (GHSA-qxhr-cwrc-pvrm, against
 * another rig gateway). So: nothing is ever followed (lstat only), another user's symlink in a shared
 * directory is never replaced, a path that is not a symlink is never overwritten, a directory that
 * others could rewrite behind our back is refused, and a replacement is atomic (a temporary link
 * renamed over the old one, so no window exists in which the name is free for someone else to take).
 */
import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readlinkSync,
  renameSync,
  type Stats,
  statSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
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

/** Makes missing directories private (0700) and checks that the link's directory is safe to use. */
function prepareDirectory(dir: string): { shared: boolean } {
  let st: Stats;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    st = statSync(dir);
  } catch (err) {
    throw new LinkError(`cannot use ${dir} for a link: ${(err as Error).message}`);
  }
  if (!st.isDirectory()) throw new LinkError(`${dir} is not a directory; cannot create a link in it`);
  const me = euid();
  if (st.uid !== me && st.uid !== 0) {
    throw new LinkError(
      `${dir} belongs to uid ${st.uid}, who could replace a link in it at any time; choose a directory of your own`,
    );
  }
  const worldWritable = (st.mode & 0o002) !== 0;
  if (worldWritable && (st.mode & STICKY) === 0) {
    throw new LinkError(
      `${dir} is world-writable without the sticky bit: anyone could replace a link in it; choose another directory`,
    );
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
