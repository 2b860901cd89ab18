/**
 * The symlink rules: stale links of ours are replaced, anything else is refused and left as it was,
 * another user's link in a shared (sticky, world-writable) directory is never followed or replaced
 * (GHSA-qxhr-cwrc-pvrm), and a port removes its link on close.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLink,
  defaultLinkPath,
  expandHome,
  LinkError,
  removeLink,
} from '../../src/gateway/ports/link-path.js';
import { PtyPort } from '../../src/gateway/ports/pty-port.js';
import { tempDir } from './helpers.js';

const NOBODY = 65534;
const isRoot = process.geteuid?.() === 0;

describe('link paths', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir('catbridge-link-');
  });

  afterEach(() => {
    dir.remove();
  });

  it('expands a leading ~ only', () => {
    expect(expandHome('~')).toBe(homedir());
    expect(expandHome('~/.catbridge/ft8')).toBe(join(homedir(), '.catbridge/ft8'));
    expect(expandHome('/tmp/~x')).toBe('/tmp/~x');
    expect(expandHome('~other/x')).toBe('~other/x');
  });

  it('defaults to $XDG_RUNTIME_DIR/catbridge/<port>, else ~/.catbridge/<port>', () => {
    expect(defaultLinkPath('ft8', { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe(
      '/run/user/1000/catbridge/ft8',
    );
    expect(defaultLinkPath('ft8', {})).toBe(join(homedir(), '.catbridge', 'ft8'));
    expect(() => defaultLinkPath('../x', {})).toThrow(LinkError);
  });

  it('creates missing directories private (0700) and the link in them', () => {
    const link = join(dir.path, 'a', 'b', 'ft8');
    expect(createLink(link, '/dev/pts/77')).toBe(link);
    expect(readlinkSync(link)).toBe('/dev/pts/77');
    expect(statSync(join(dir.path, 'a', 'b')).mode & 0o777).toBe(0o700);
  });

  it('replaces a stale link of ours, dangling or pointing elsewhere', () => {
    const link = join(dir.path, 'ft8');
    symlinkSync('/nonexistent/pts/3', link);
    createLink(link, '/dev/pts/77');
    expect(readlinkSync(link)).toBe('/dev/pts/77');
    createLink(link, '/dev/pts/78');
    expect(readlinkSync(link)).toBe('/dev/pts/78');
  });

  it('refuses a path that is not a symlink, naming it and leaving it untouched', () => {
    const file = join(dir.path, 'ft8');
    writeFileSync(file, 'precious');
    expect(() => createLink(file, '/dev/pts/77')).toThrow(new RegExp(`${file} exists and is not a symlink`));
    expect(readFileSync(file, 'utf8')).toBe('precious');
    const sub = join(dir.path, 'sub');
    mkdirSync(sub);
    expect(() => createLink(sub, '/dev/pts/77')).toThrow(LinkError);
    expect(lstatSync(sub).isDirectory()).toBe(true);
  });

  it.runIf(isRoot)(
    "never follows or replaces another user's link in a sticky world-writable directory",
    () => {
      chmodSync(dir.path, 0o1777);
      const link = join(dir.path, 'ft8');
      symlinkSync('/dev/pts/66', link);
      lchownSync(link, NOBODY, NOBODY);
      expect(() => createLink(link, '/dev/pts/77')).toThrow(/owned by uid 65534 in the shared directory/);
      expect(readlinkSync(link)).toBe('/dev/pts/66');
      expect(lstatSync(link).uid).toBe(NOBODY);
      expect(removeLink(link, '/dev/pts/66')).toBe(false);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      // Our own stale link in the same directory is still replaced.
      const ours = join(dir.path, 'ours');
      symlinkSync('/dev/pts/65', ours);
      createLink(ours, '/dev/pts/77');
      expect(readlinkSync(ours)).toBe('/dev/pts/77');
    },
  );

  it('refuses a world-writable directory without the sticky bit', () => {
    chmodSync(dir.path, 0o777);
    expect(() => createLink(join(dir.path, 'ft8'), '/dev/pts/77')).toThrow(
      /world-writable without the sticky bit/,
    );
    expect(existsSync(join(dir.path, 'ft8'))).toBe(false);
  });

  it.runIf(isRoot)('refuses a directory that belongs to another user', () => {
    const theirs = join(dir.path, 'theirs');
    mkdirSync(theirs);
    chownSync(theirs, NOBODY, NOBODY);
    expect(() => createLink(join(theirs, 'ft8'), '/dev/pts/77')).toThrow(/belongs to uid 65534/);
  });

  it.runIf(isRoot)("refuses a parent directory that is another user's symlink, creating nothing", () => {
    const real = join(dir.path, 'real');
    mkdirSync(real, { mode: 0o700 });
    const shack = join(dir.path, 'shack');
    symlinkSync(real, shack);
    lchownSync(shack, NOBODY, NOBODY);
    expect(() => createLink(join(shack, 'ft8'), '/dev/pts/77')).toThrow(
      new RegExp(`${shack} is a symlink owned by uid 65534, who could repoint it`),
    );
    expect(readdirSync(real)).toEqual([]);
  });

  it('follows a symlinked parent directory of our own, checking where it leads', () => {
    const real = join(dir.path, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync('real', join(dir.path, 'shack'));
    expect(createLink(join(dir.path, 'shack', 'sub', 'ft8'), '/dev/pts/77')).toBe(
      join(dir.path, 'shack', 'sub', 'ft8'),
    );
    expect(readlinkSync(join(real, 'sub', 'ft8'))).toBe('/dev/pts/77');
    expect(lstatSync(join(real, 'sub')).mode & 0o777).toBe(0o700);
    // Where it leads is checked like any directory: a world-writable one without the sticky bit is refused.
    chmodSync(real, 0o777);
    expect(() => createLink(join(dir.path, 'shack', 'ft8'), '/dev/pts/77')).toThrow(
      new RegExp(`${real} is world-writable without the sticky bit`),
    );
  });

  it.runIf(isRoot)("refuses a directory of ours inside another user's, and our symlink into theirs", () => {
    const theirs = join(dir.path, 'theirs');
    mkdirSync(join(theirs, 'mine'), { recursive: true });
    chownSync(theirs, NOBODY, NOBODY);
    expect(() => createLink(join(theirs, 'mine', 'ft8'), '/dev/pts/77')).toThrow(
      new RegExp(`${theirs} belongs to uid 65534`),
    );
    symlinkSync(join(theirs, 'mine'), join(dir.path, 'into'));
    expect(() => createLink(join(dir.path, 'into', 'ft8'), '/dev/pts/77')).toThrow(
      new RegExp(`${theirs} belongs to uid 65534`),
    );
    expect(existsSync(join(theirs, 'mine', 'ft8'))).toBe(false);
  });

  it('removes a link only while it is still ours and points at our device', () => {
    const link = join(dir.path, 'ft8');
    createLink(link, '/dev/pts/77');
    expect(removeLink(link, '/dev/pts/78')).toBe(false);
    expect(removeLink(link, '/dev/pts/77')).toBe(true);
    expect(existsSync(link)).toBe(false);
    expect(removeLink(link, '/dev/pts/77')).toBe(false);
  });
});

describe('PtyPort links', () => {
  let dir: ReturnType<typeof tempDir>;

  beforeEach(() => {
    dir = tempDir('catbridge-link-');
  });

  afterEach(() => {
    dir.remove();
  });

  it('links the device, replacing a stale link, and removes the link on close', async () => {
    const link = join(dir.path, 'ft8');
    symlinkSync('/dev/pts/999', link);
    const port = await PtyPort.open({ name: 'ft8', link });
    expect(readlinkSync(link)).toBe(port.path);
    expect(port.path).toMatch(/^\/dev\//);
    await port.close();
    expect(existsSync(link)).toBe(false);
  });

  it('refuses to start over a file, leaving it untouched', async () => {
    const file = join(dir.path, 'ft8');
    writeFileSync(file, 'precious');
    await expect(PtyPort.open({ name: 'ft8', link: file })).rejects.toThrow(LinkError);
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });

  it('uses the default link under $XDG_RUNTIME_DIR when none is configured', async () => {
    const saved = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = dir.path;
    try {
      const port = await PtyPort.open({ name: 'dflt' });
      expect(port.link).toBe(join(dir.path, 'catbridge', 'dflt'));
      expect(readlinkSync(port.link)).toBe(port.path);
      expect(statSync(join(dir.path, 'catbridge')).mode & 0o777).toBe(0o700);
      await port.close();
      expect(existsSync(port.link)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = saved;
    }
  });
});
