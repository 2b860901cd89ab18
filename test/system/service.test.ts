/**
 * System: `catbridge service` writes a systemd user unit and a launchd agent that their own tools
 * accept — `systemd-analyze --user verify` for the unit, Python's plistlib (a real plist parser) for the
 * agent — for a config whose path needs quoting (spaces, `&`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { describeWithTools } from '../support/tools.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli.js');
let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catbridge-service-'));
  mkdirSync(join(dir, 'my shack & co'));
  config = join(dir, 'my shack & co', 'catbridge.yaml');
  writeFileSync(
    config,
    `backends:\n  sim:\n    type: sim\nports:\n  ft8:\n    rig: ts2000\n    backend: sim\n    link: ${dir}/ft8\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function catbridge(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** systemd-analyze as a user's manager sees the unit; any complaint is printed, so none must be. */
function verifyUnit(file: string) {
  const runtime = mkdtempSync(join(dir, 'runtime-'));
  return spawnSync('systemd-analyze', ['--user', 'verify', file], {
    encoding: 'utf8',
    env: { ...process.env, XDG_RUNTIME_DIR: runtime },
  });
}

describeWithTools(['systemd-analyze'], 'systemd user unit', () => {
  it('passes systemd-analyze verify without a complaint, running this CLI with the config', () => {
    const result = catbridge([
      '--log-level',
      'debug',
      'service',
      '--format',
      'systemd',
      '--stdout',
      '-c',
      config,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const unit = join(dir, 'catbridge.service');
    writeFileSync(unit, result.stdout);
    const verify = verifyUnit(unit);
    expect(verify.status, verify.stderr).toBe(0);
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(result.stdout).toContain(
      `ExecStart=${process.execPath} ${cli} --config "${config}" --log-level debug`,
    );
    expect(result.stdout).toMatch(/^Restart=on-failure$/m);
    expect(result.stdout).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(result.stdout).toMatch(/^WantedBy=default.target$/m);
  });

  it('the same check does complain about a broken unit (so its silence above means something)', () => {
    const broken = join(dir, 'broken.service');
    const good = catbridge(['service', '--format', 'systemd', '--stdout', '-c', config]).stdout;
    writeFileSync(broken, good.replace('Restart=on-failure', 'Restart=sometimes'));
    const verify = verifyUnit(broken);
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/restart specifier/);
  });

  it('without --stdout it writes ~/.config/systemd/user/catbridge.service and says what to run next', () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const result = catbridge(['--config', config, 'service', '--format', 'systemd'], { HOME: home });
    expect(result.status, result.stderr).toBe(0);
    const file = join(home, '.config', 'systemd', 'user', 'catbridge.service');
    expect(readFileSync(file, 'utf8')).toContain(`--config "${config}"`);
    expect(result.stdout).toContain(
      'systemctl --user daemon-reload && systemctl --user enable --now catbridge',
    );
    expect(result.stdout).toContain('loginctl enable-linger');
  });

  it('an invalid config gets no service: exit 2, the problem named, nothing written', () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'backends:\n  sim:\n    type: sim\nports: {}\n');
    const result = catbridge(['service', '--config', bad], { HOME: home });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no ports configured');
    expect(existsSync(join(home, '.config'))).toBe(false);
  });
});

describeWithTools(['python3'], 'launchd agent', () => {
  it('parses as a plist with the program, restart on failure and the log file', () => {
    const result = catbridge(['service', '--format', 'launchd', '--stdout', '-c', config], {
      HOME: '/Users/ham',
    });
    expect(result.status, result.stderr).toBe(0);
    const parsed = spawnSync(
      'python3',
      ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'],
      { input: result.stdout, encoding: 'utf8' },
    );
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(JSON.parse(parsed.stdout)).toEqual({
      Label: 'org.catbridge.catbridge',
      ProgramArguments: [process.execPath, cli, '--config', config, '--log-level', 'info'],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 5,
      ExitTimeOut: 10,
      StandardOutPath: '/Users/ham/Library/Logs/catbridge.log',
      StandardErrorPath: '/Users/ham/Library/Logs/catbridge.log',
    });
  });
});
