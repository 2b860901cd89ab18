/**
 * System: the `catbridge` command as a user runs it (built JavaScript, real process, real signals).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readlinkSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProfiles } from '../../src/rigs/profiles.js';
import { packageRoot } from '../../src/util/package-root.js';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { freePort, Rigctld, rigctlCmd } from '../support/rigctld.js';
import { shippedProfileNames } from '../support/shipped-profiles.js';
import { describeWithTools } from '../support/tools.js';

const root = packageRoot();
const cli = join(root, 'dist', 'src', 'cli.js');
let dir: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: npm test builds it first (pretest)`);
  dir = mkdtempSync(join(tmpdir(), 'catbridge-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text };
}

/** A TS-2000 port on rigctld; the HTTP API on a free port, so these tests never collide with a running catbridge. */
function keyedConfig(rigctldPort: number, link: string, portExtra = ''): string {
  return `http:\n  listen: 127.0.0.1:0\nbackends:\n  shack:\n    type: rigctld\n    address: 127.0.0.1:${rigctldPort}\nports:\n  ts2000:\n    rig: ts2000\n    backend: shack\n    link: ${link}\n${portExtra}`;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('catbridge CLI', () => {
  it('lists the emulated models with the Hamlib model to choose', () => {
    const result = run(['profiles']);
    expect(result.status).toBe(0);
    // Every shipped profile, each on its own line with its Hamlib model.
    for (const profile of listProfiles())
      expect(result.stdout).toMatch(
        new RegExp(`^${profile.key}\\s.*\\(Hamlib ${profile.hamlib.model}\\)`, 'm'),
      );
    expect(
      result.stdout
        .trim()
        .split('\n')
        .filter((l) => /\(Hamlib \d+\)/.test(l)),
    ).toHaveLength(shippedProfileNames().length);
    expect(result.stdout).toMatch(/^flex6000\s.*\(Hamlib 2036\)\s+network: CAT over TCP$/m);
    for (const line of [
      /ts2000\s+Kenwood TS-2000\s+TS-2000 \(Hamlib 2014\)/,
      /ts590sg.*2037/,
      /ts480.*2028/,
      /k3.*2029/,
    ]) {
      expect(result.stdout).toMatch(line);
    }
  });

  it('check validates a config and prints what would start', () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(
      file,
      `backends:\n  sim:\n    type: sim\nports:\n  ft8:\n    rig: ts590sg\n    backend: sim\n    link: ${dir}/ft8\n`,
    );
    const result = run(['check', '--config', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`port ft8: ${dir}/ft8`);
    expect(result.stdout).toContain('Hamlib model 2037');
    expect(existsSync(`${dir}/ft8`)).toBe(false);
  });

  it('check names the file, line, column and key of every error, and exits non-zero', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'backends:',
        '  shack:',
        '    type: rigctld',
        '    poll_ms: fast',
        'ports:',
        '  ft8:',
        '    rig: ts9999',
        '    backend: nowhere',
        '    bogus: 1',
        '',
      ].join('\n'),
    );
    const result = run(['check', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}:4:5: backends.shack.poll_ms:`);
    expect(result.stderr).toContain(`${file}:9:5: ports.ft8.bogus: unknown key`);
    const semantic = run(['check', '--config', writeSemanticError()]);
    expect(semantic.status).toBe(2);
    expect(semantic.stderr).toMatch(/semantic\.yaml:7:5: ports\.ft8\.rig: cannot load rig profile "ts9999"/);
    expect(semantic.stderr).toMatch(/semantic\.yaml:8:5: ports\.ft8\.backend: unknown backend "nowhere"/);
  });

  it('runs the default config (the simulated radio and one TS-2000 port) and stops cleanly', async () => {
    const runtime = mkdtempSync(join(dir, 'xdg-'));
    const { child, output } = start([], { XDG_RUNTIME_DIR: runtime });
    const link = join(runtime, 'catbridge', 'ts2000');
    await until(() => /catbridge ready/.test(output()), 10_000, 'ready line');
    expect(output()).toContain(`port ts2000: ${link}`);
    expect(output()).toContain('Hamlib model 2014');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    expect(existsSync(link)).toBe(false);
  });
});

describe('catbridge CLI stopped while it starts', () => {
  it('a signal before the ready line stops it cleanly once up: exit 0, a stopped line, no link left', async () => {
    const runtime = mkdtempSync(join(dir, 'xdg-'));
    const { child, output } = start([], { XDG_RUNTIME_DIR: runtime });
    const link = join(runtime, 'catbridge', 'ts2000');
    // The backend is connected before the HTTP server and the ready line: the process is mid-start.
    await until(() => /backend connected/.test(output()), 10_000, 'backend connected');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(output()).toMatch(/catbridge stopped \(SIGTERM\)/);
    expect(existsSync(link)).toBe(false);
  });
});

function writeSemanticError(): string {
  const file = join(dir, 'semantic.yaml');
  writeFileSync(
    file,
    [
      'backends:',
      '  shack:',
      '    type: sim',
      'ports:',
      '  ft8:',
      '    link: /tmp/x-never',
      '    rig: ts9999',
      '    backend: nowhere',
      '',
    ].join('\n'),
  );
  return file;
}

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'catbridge CLI with a keyed transmitter', () => {
  let rigctld: Rigctld;
  beforeAll(async () => {
    rigctld = await Rigctld.start();
  });
  afterAll(async () => {
    await rigctld?.kill();
  });

  /**
   * Starts the CLI on rigctld, keys it from a real rigctl, then sends `signal`: the process must exit
   * with `code` within 2 s, with PTT released at rigctld and its link removed. Returns the CLI's output.
   */
  async function stopWhileKeyed(
    name: string,
    signal: NodeJS.Signals,
    code: number,
    env: NodeJS.ProcessEnv = {},
  ) {
    const file = join(dir, `${name}.yaml`);
    const link = join(dir, `${name}-ts2000`);
    writeFileSync(file, keyedConfig(rigctld.port, link));
    const { child, output } = start(['--config', file], env);
    await until(() => /catbridge ready/.test(output()), 10_000, 'ready line');
    const client = await RigctlSession.open(2014, link);
    try {
      expect((await client.cmd('T 1')).ok).toBe(true);
      await until(
        async () => (await rigctlCmd(rigctld.port, 't'))[0]?.includes('PTT: 1') ?? false,
        1000,
        'keyed',
      );
      const stopAt = Date.now();
      child.kill(signal);
      expect(await exited(child)).toBe(code);
      expect(Date.now() - stopAt).toBeLessThan(2000);
      expect((await rigctlCmd(rigctld.port, 't'))[0]).toContain('PTT: 0');
      expect(existsSync(link)).toBe(false);
      return output();
    } finally {
      await client.kill();
    }
  }

  it('SIGTERM while transmitting: PTT released at rigctld, links removed, exit within 2 s', async () => {
    await stopWhileKeyed('keyed', 'SIGTERM', 0);
  });

  it('a second instance on the same links is refused, naming the first, and leaves its links alone', async () => {
    const file = join(dir, 'twice.yaml');
    const link = join(dir, 'twice-ts2000');
    // The same config twice (so the same HTTP port too), and the same links on another HTTP port.
    writeFileSync(
      file,
      keyedConfig(rigctld.port, link).replace('127.0.0.1:0', `127.0.0.1:${await freePort()}`),
    );
    const otherHttp = join(dir, 'twice-other-http.yaml');
    writeFileSync(otherHttp, keyedConfig(rigctld.port, link));
    const first = start(['--config', file]);
    try {
      await until(() => /catbridge ready/.test(first.output()), 10_000, 'first ready');
      const target = readlinkSync(link);
      for (const [attempt, config] of [
        ['the same config', file],
        ['another HTTP port', otherHttp],
      ] as const) {
        const second = start(['--config', config]);
        expect(await exited(second.child), attempt).not.toBe(0);
        expect(second.output(), attempt).toContain(`another catbridge (pid ${first.child.pid}`);
        expect(readlinkSync(link), attempt).toBe(target); // neither replaced nor removed
      }
      const client = await RigctlSession.open(2014, link);
      try {
        expect((await client.cmd('f')).ok).toBe(true); // the first still serves its port
      } finally {
        await client.kill();
      }
    } finally {
      first.child.kill('SIGTERM');
      await exited(first.child);
    }
    expect(existsSync(link)).toBe(false);
    // Its lock went with it: the next start takes the link.
    const third = start(['--config', file]);
    try {
      await until(() => /catbridge ready/.test(third.output()), 10_000, 'third ready');
    } finally {
      third.child.kill('SIGTERM');
      await exited(third.child);
    }
  });

  it('a lock left by a killed instance is taken over at the next start', async () => {
    const file = join(dir, 'stale.yaml');
    const link = join(dir, 'stale-ts2000');
    writeFileSync(file, keyedConfig(rigctld.port, link));
    const first = start(['--config', file]);
    await until(() => /catbridge ready/.test(first.output()), 10_000, 'first ready');
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = start(['--config', file]);
    try {
      await until(() => /catbridge ready/.test(second.output()), 10_000, 'second ready');
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });

  /** The load from issue 12: 500 frequency writes, each followed by TX, in one write to the port. */
  const backlog = Array.from(
    { length: 500 },
    (_, i) => `FA${String(14_074_001 + i).padStart(11, '0')};TX;`,
  ).join('');

  const pttAtRadio = async () => (await rigctlCmd(rigctld.port, 't'))[0]?.includes('PTT: 1') ?? false;

  /**
   * A CLI on rigctld whose TS-2000 port got the flood and has been keyed by it for 1 s; `release`
   * then unkeys it some way, and the radio must read unkeyed within 1 s of that (returns the ms).
   */
  async function releaseUnderFlood(
    name: string,
    release: (cli: { child: ChildProcess; output: () => string; fd: number }) => Promise<void> | void,
    portExtra = '',
  ): Promise<{ unkeyedIn: number; child: ChildProcess; output: () => string }> {
    const file = join(dir, `flood-${name}.yaml`);
    const link = join(dir, `flood-${name}-ts2000`);
    writeFileSync(file, keyedConfig(rigctld.port, link, portExtra));
    const { child, output } = start(['--config', file]);
    await until(() => /catbridge ready/.test(output()), 10_000, 'ready line');
    const fd = openSync(link, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    let open = true;
    try {
      // The radio read once (the port answers ID) before the flood, or the flood is answered by a
      // radio that was never reached: silence.
      await until(
        () => {
          writeSync(fd, 'ID;');
          const buffer = Buffer.alloc(256);
          try {
            return buffer.toString('latin1', 0, readSync(fd, buffer)).includes('ID019;');
          } catch {
            return false; // EAGAIN: nothing yet
          }
        },
        5000,
        'port answering',
      );
      writeSync(fd, backlog);
      await until(pttAtRadio, 2000, 'keyed by the flood');
      const keyedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, name === 'watchdog' ? 0 : 1000));
      if (name === 'watchdog') {
        // The watchdog fires max_seconds (2) after the key-up; the release is measured from there.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, keyedAt + 2000 - Date.now())));
      }
      const releasedAt = Date.now();
      await release({
        child,
        output,
        fd,
      });
      if (name === 'close') open = false;
      await until(async () => !(await pttAtRadio()), 1000, `unkeyed after ${name}`);
      return { unkeyedIn: Date.now() - releasedAt, child, output };
    } finally {
      if (open) closeSync(fd);
      // A signalled CLI is left to exit by itself (its exit is under test), the others are stopped.
      if (!/^SIG/.test(name)) child.kill('SIGKILL');
      await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 2500))]);
      child.kill('SIGKILL');
      await rigctlCmd(rigctld.port, 'T 0');
    }
  }

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal} 1 s into a flood of FA;TX; writes: the radio is unkeyed within 1 s, before exit`, async () => {
      let stopAt = 0;
      let exit: Promise<{ code: number | null; ms: number }> | undefined;
      const { unkeyedIn } = await releaseUnderFlood(signal, ({ child }) => {
        stopAt = Date.now();
        exit = exited(child).then((code) => ({ code, ms: Date.now() - stopAt }));
        child.kill(signal);
      });
      expect(unkeyedIn).toBeLessThanOrEqual(1000);
      const { code, ms } = await exit!;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(2000);
    });
  }

  it('the client closing its port 1 s into the flood: the radio is unkeyed within 1 s', async () => {
    const { unkeyedIn, output } = await releaseUnderFlood('close', ({ fd }) => closeSync(fd));
    expect(unkeyedIn).toBeLessThanOrEqual(1000);
    // The log says why (JSON lines, since stderr is a pipe here).
    expect(output()).toContain('"msg":"releasing PTT: the client closed port ts2000 (ptt.release_on_close)"');
  });

  it('the watchdog (ptt.max_seconds: 2) under the flood: the radio is unkeyed within 1 s of its deadline', async () => {
    const { unkeyedIn, output } = await releaseUnderFlood(
      'watchdog',
      () => undefined,
      '    ptt: { max_seconds: 2 }\n',
    );
    expect(unkeyedIn).toBeLessThanOrEqual(1000);
    expect(output()).toContain(
      '"msg":"releasing PTT: port ts2000 transmitted longer than ptt.max_seconds (2 s)"',
    );
  });

  it('REST release 1 s into the flood: confirmed, and the radio unkeyed, within 1 s', async () => {
    let answer: { status: number; body: unknown } | undefined;
    const { unkeyedIn } = await releaseUnderFlood('rest', async ({ output }) => {
      const url = /dashboard and API at (http:\/\/\S+?)\/(\s|$)/.exec(output())?.[1];
      const started = Date.now();
      const response = await fetch(`${url}/api/ports/ts2000/ptt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ptt: false }),
      });
      answer = { status: response.status, body: await response.json() };
      expect(Date.now() - started).toBeLessThan(1000);
    });
    expect(answer?.status).toBe(200);
    expect(answer?.body).toMatchObject({ confirmed: true });
    expect(unkeyedIn).toBeLessThanOrEqual(1000);
  });

  it('SIGKILL while keyed leaves the radio keyed; the next start finds its record and unkeys it', async () => {
    const file = join(dir, 'killed.yaml');
    const link = join(dir, 'killed-ts2000');
    const env = { CATBRIDGE_STATE_DIR: join(dir, 'state-killed') };
    writeFileSync(file, keyedConfig(rigctld.port, link));
    const first = start(['--config', file], env);
    await until(() => /catbridge ready/.test(first.output()), 10_000, 'ready line');
    const client = await RigctlSession.open(2014, link);
    try {
      expect((await client.cmd('T 1')).ok).toBe(true);
      await until(pttAtRadio, 1000, 'keyed');
      first.child.kill('SIGKILL');
      await exited(first.child);
    } finally {
      await client.kill();
    }
    // Nothing could unkey: the radio is still transmitting (the radio's own TOT is the defence here).
    expect(await pttAtRadio()).toBe(true);
    const second = start(['--config', file], env);
    try {
      const unkeyedIn = await until(async () => !(await pttAtRadio()), 5000, 'unkeyed by the restart');
      expect(unkeyedIn).toBeLessThan(5000);
      await until(() => /stopped without releasing it/.test(second.output()), 2000, 'the reason logged');
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });

  it('a radio keyed by someone else at start is left keyed and reported (log, REST)', async () => {
    const file = join(dir, 'foreign.yaml');
    const link = join(dir, 'foreign-ts2000');
    writeFileSync(file, keyedConfig(rigctld.port, link));
    await rigctlCmd(rigctld.port, 'T 1');
    const { child, output } = start(['--config', file], { CATBRIDGE_STATE_DIR: join(dir, 'state-foreign') });
    try {
      await until(() => /catbridge did not key it/.test(output()), 10_000, 'reported in the log');
      const url = /dashboard and API at (http:\/\/\S+?)\/(\s|$)/.exec(output())?.[1];
      expect(url).toBeDefined();
      const backends = (await (await fetch(`${url}/api/backends`)).json()) as { foreignPtt: boolean }[];
      expect(backends[0]?.foreignPtt).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await pttAtRadio()).toBe(true); // left alone
    } finally {
      await rigctlCmd(rigctld.port, 'T 0');
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('an uncaught error while transmitting: PTT released at rigctld, links removed, exit 1 within 2 s', async () => {
    // Test-only fault injection: SIGUSR2 throws from the event loop.
    const output = await stopWhileKeyed('crash', 'SIGUSR2', 1, { CATBRIDGE_FAULT_INJECTION: '1' });
    expect(output).toContain('uncaught exception');
  });
});
