/**
 * System: the package installed the way Node tools are — `npm pack`'s tarball, `npm install -g` into a
 * fresh prefix — on a machine with no compiler: g++, gcc, cc, c++, make and python3 are stubs on PATH
 * that fail and record that they were called. The installed `catbridge` must then work (its addon comes
 * from native/prebuilds/, see packaging/prebuild).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { until } from '../support/gateway-harness.js';
import { exchange } from '../support/port-exchange.js';
import { requireTool } from '../support/tools.js';

const root = packageRoot();
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const COMPILERS = ['g++', 'gcc', 'cc', 'c++', 'make', 'python3'];
let dir: string;
let stubs: string;
let prefix: string;
let packed: string[];
let tarball: string;
let installWarnings: string;

/** PATH with the failing compiler stubs first: what a machine without build tools looks like to npm. */
const noCompilerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${stubs}:${process.env.PATH}` });

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund'], {
    cwd,
    encoding: 'utf8',
    env: noCompilerEnv(),
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catbridge-install-'));
  stubs = join(dir, 'stubs');
  prefix = join(dir, 'prefix');
  mkdirSync(stubs);
  for (const tool of COMPILERS) {
    const stub = join(stubs, tool);
    writeFileSync(stub, `#!/bin/sh\necho "${tool} $*" >> ${join(dir, 'compiler-calls')}\nexit 1\n`);
    chmodSync(stub, 0o755);
  }
  // `npm pack` runs prepack: the TypeScript build and packaging/prebuild, both no-ops when up to date
  // (the prebuilds are built before the tests, by .ci/run or `npm run prebuilds`). With the stubs on
  // PATH, so a prebuild that is missing or stale fails here instead of being quietly compiled.
  const json = npm(['pack', '--json', '--pack-destination', dir], root).stdout;
  const report = JSON.parse(json.slice(json.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
  }[];
  packed = report[0]!.files.map((f) => f.path);
  tarball = join(dir, report[0]!.filename);
  // Allowed by the tarball's path, as the README says: npm 11 names a local tarball's scripts so.
  installWarnings = npm(
    ['install', '-g', '--prefix', prefix, '--prefer-offline', `--allow-scripts=${tarball}`, tarball],
    dir,
  ).stderr;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catbridge = () => join(prefix, 'bin', 'catbridge');
const installed = () => join(prefix, 'lib', 'node_modules', 'catbridge');

describe('npm pack + npm install -g, no compiler on PATH', () => {
  it('installs without warnings on Node 20: no dependency that wants a newer Node, scripts allowed', () => {
    // light-my-request (fastify's) after 6.6.0 pulls cookie 2, which declares node >= 22.
    expect(installWarnings).not.toMatch(/EBADENGINE/);
    expect(installWarnings).not.toMatch(/install-scripts/);
  });

  it('the tarball holds what runs: built code, config, profiles, prebuilds, sources to rebuild; no tests', () => {
    expect(packed).toContain('dist/src/cli.js');
    expect(packed).toContain('config/catbridge.yaml');
    expect(packed).toContain('config/rigs/ts2000.yaml');
    expect(packed).toContain('native/binding.gyp');
    expect(packed).toContain('LICENSE');
    expect(packed).toContain('src/gateway/http/dashboard/index.html');
    expect(packed).toContain('native/prebuilds/linux-x64/catbridge_native.napi-v8.napi.glibc.node');
    // The arm64 one needs the cross compiler: required on CI, where .ci/install-packages installs it.
    if (requireTool('aarch64-linux-gnu-g++')) {
      expect(packed).toContain('native/prebuilds/linux-arm64/catbridge_native.napi-v8.napi.glibc.node');
    }
    expect(packed.filter((f) => /^(dist\/(test|bench)|test|bench|native\/build)\//.test(f))).toEqual([]);
  });

  it('installs without calling any compiler, from the prebuild', () => {
    expect(
      existsSync(join(dir, 'compiler-calls')) ? readFileSync(join(dir, 'compiler-calls'), 'utf8') : '',
    ).toBe('');
    expect(existsSync(join(installed(), 'native', 'build'))).toBe(false);
  });

  it('catbridge --version and catbridge profiles work', () => {
    const v = spawnSync(catbridge(), ['--version'], { encoding: 'utf8', env: noCompilerEnv() });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const profiles = spawnSync(catbridge(), ['profiles'], { encoding: 'utf8', env: noCompilerEnv() });
    expect(profiles.status, profiles.stderr).toBe(0);
    expect(profiles.stdout).toMatch(/ic7300\s+Icom IC-7300/);
  });

  it('runs a sim gateway whose port answers CAT, and stops with a final line', async () => {
    await runsSimGateway(catbridge(), noCompilerEnv());
  });
});

describe('where no prebuild fits, npm install -g builds the addon from source', () => {
  it('builds native/build/Release with the real compilers, and the gateway runs on it', async () => {
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    expect(spawnSync('tar', ['xzf', tarball, '-C', unpacked]).status).toBe(0);
    rmSync(join(unpacked, 'package', 'native', 'prebuilds'), { recursive: true });
    const bare = join(dir, 'catbridge-without-prebuilds.tgz');
    expect(spawnSync('tar', ['czf', bare, '-C', unpacked, 'package']).status).toBe(0);
    const sourcePrefix = join(dir, 'source-prefix');
    const install = spawnSync(
      'npm',
      ['install', '-g', '--prefix', sourcePrefix, '--prefer-offline', '--no-audit', '--no-fund', bare],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(install.status, install.stderr).toBe(0);
    const root = join(sourcePrefix, 'lib', 'node_modules', 'catbridge');
    expect(existsSync(join(root, 'native', 'build', 'Release', 'catbridge_native.node'))).toBe(true);
    expect(existsSync(join(root, 'native', 'prebuilds'))).toBe(false);
    await runsSimGateway(join(sourcePrefix, 'bin', 'catbridge'), process.env);
  }, 120_000);
});

/** Starts the installed CLI on the sim, exchanges CAT on its port, gets the dashboard, stops it. */
async function runsSimGateway(bin: string, env: NodeJS.ProcessEnv): Promise<void> {
  const runtime = mkdtempSync(join(dir, 'xdg-'));
  const config = join(runtime, 'sim.yaml');
  const link = join(runtime, 'rig');
  writeFileSync(
    config,
    `http:\n  listen: 127.0.0.1:0\nbackends:\n  sim:\n    type: sim\nports:\n  rig:\n    rig: ts2000\n    backend: sim\n    link: ${link}\n`,
  );
  const child: ChildProcess = spawn(bin, ['--config', config], {
    env: { ...env, XDG_RUNTIME_DIR: runtime, CATBRIDGE_STATE_DIR: runtime },
    stdio: 'pipe',
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await until(() => /catbridge ready/.test(output) || child.exitCode !== null, 15_000, 'ready line');
    expect(output).toContain('catbridge ready');
    expect(await exchange(link, 'FA;', 2000)).toMatch(/^FA\d{11};$/);
    const url = /dashboard and API at (\S+)/.exec(output)![1]!;
    const dashboard = await fetch(url);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<html');
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exit).toBe(0);
  // Its own stream's last line (the log, on stderr, is flushed before it is written).
  expect(stdout.trimEnd().split('\n').at(-1)).toBe('catbridge stopped (SIGTERM)');
}
