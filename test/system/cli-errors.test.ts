/**
 * System: the messages a user gets when something is wrong, from the `catbridge` command as a user runs
 * it — config problems located by line and column, in plain words, all in one pass; usage errors; a
 * closed pipe; a failed start whose reason is the last line, on a terminal too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { describeWithTools } from '../support/tools.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catbridge-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

function catbridge(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_RUNTIME_DIR: dir, CATBRIDGE_STATE_DIR: dir },
    timeout: 20_000,
  });
}

/** The problems `check` reports, one per line, after its "invalid config" heading. */
function problems(config: string): string[] {
  const result = catbridge(['check', '--config', config]);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  const [heading, ...rest] = result.stderr.trimEnd().split('\n');
  expect(heading).toBe('catbridge: invalid config');
  // No validator wording reaches the user.
  expect(result.stderr).not.toMatch(/Invalid input|received (undefined|string|number)|Unrecognized key/);
  return rest;
}

describe('config problems', () => {
  it('an empty file says so', () => {
    const empty = file('empty.yaml', ['']);
    expect(problems(empty)).toEqual([
      `${empty}:1:1: the file is empty; a config needs backends: and ports: (see config/catbridge.yaml)`,
    ]);
  });

  it('a YAML syntax error names its line and column', () => {
    const broken = file('syntax.yaml', ['backends:', '  sim:', '    type: [sim', 'ports: {}', '']);
    const [only, ...more] = problems(broken);
    expect(more).toEqual([]);
    expect(only).toMatch(new RegExp(`^${broken}:\\d+:\\d+: YAML syntax: `));
    expect(only).not.toContain(':?:');
  });

  it('every problem of a file in one pass, in file order: misspellings get "did you mean"', () => {
    const config = file('bad.yaml', [
      'backends:', //                       1
      '  shack:', //                        2
      '    type: rigctl', //                3
      '    poll_ms: fast', //               4
      '    settle: 100', //                 5
      'ports:', //                          6
      '  ft8:', //                          7
      '    rig: ts200', //                  8
      '    backend: shak', //               9
      '    lnk: /tmp/x', //                 10
      '    ptt:', //                        11
      '      alow: false', //               12
      '  logger:', //                       13
      '    backend: shack', //              14
      '    readonly: "yes"', //             15
      '',
    ]);
    expect(problems(config)).toEqual([
      `${config}:3:5: backends.shack.type: must be one of rigctld, flrig, sim, not the text "rigctl"; did you mean "rigctld"?`,
      `${config}:4:5: backends.shack.poll_ms: expected a number, found the text "fast"`,
      `${config}:5:5: backends.shack.settle: unknown key; did you mean "settle_ms"?`,
      expect.stringMatching(
        new RegExp(
          `^${config}:8:5: ports.ft8.rig: cannot load rig profile "ts200": .*did you mean "ts2000"\\?`,
        ),
      ),
      `${config}:9:5: ports.ft8.backend: unknown backend "shak"; did you mean "shack"?`,
      `${config}:10:5: ports.ft8.lnk: unknown key; did you mean "link"?`,
      `${config}:12:7: ports.ft8.ptt.alow: unknown key; did you mean "allow"?`,
      `${config}:13:3: ports.logger.rig: required, but missing (expected text)`,
      `${config}:15:5: ports.logger.readonly: expected true or false, found the text "yes"`,
    ]);
  });

  it('a key with no near match lists what is allowed there', () => {
    const config = file('unknown.yaml', ['http:', '  colour: blue', 'backends: {}', 'ports: {}', '']);
    expect(problems(config)).toEqual([
      `${config}:2:3: http.colour: unknown key; allowed here: listen, token`,
      `${config}:4:1: ports: no ports configured`,
    ]);
  });

  it('`catbridge --config FILE check` checks FILE, not the default config', () => {
    const config = file('before.yaml', ['backends: {}', 'ports: {}', '']);
    const result = catbridge(['--config', config, 'check']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${config}:2:1: ports: no ports configured`);
  });
});

describe('usage', () => {
  it('a bad --log-level is a CLI error naming the choices', () => {
    const result = catbridge(['--log-level', 'verbose', 'check']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "error: option '-l, --log-level <level>' argument 'verbose' is invalid. Allowed choices are fatal, error, warn, info, debug, trace, silent.",
    );
  });

  it('--version prints the package version; --help names all three backends', () => {
    expect(catbridge(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(catbridge(['--help']).stdout).toMatch(
      /rigctld,\s+flrig\s+or\s+the\s+built-in\s+simulated\s+radio/,
    );
  });

  it('`catbridge profiles | head -3` ends quietly when its reader goes away', () => {
    // `true` exits without reading, so every write meets a closed pipe (head -3 only sometimes does).
    for (const reader of ['head -3', 'true']) {
      const result = spawnSync(
        'bash',
        ['-o', 'pipefail', '-c', `"${process.execPath}" "${cli}" profiles | ${reader}`],
        {
          encoding: 'utf8',
        },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
  });
});

describeWithTools(['script'], 'a start that fails', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => busy.close());

  it('on a terminal (pretty log from a worker thread), the reason is the last line printed', () => {
    const config = file('busy.yaml', [
      'http:',
      `  listen: 127.0.0.1:${port}`,
      'backends:',
      '  sim:',
      '    type: sim',
      'ports:',
      '  p:',
      '    rig: ts2000',
      '    backend: sim',
      `    link: ${dir}/p`,
      '',
    ]);
    // script(1) gives the CLI a terminal, so it logs through pino-pretty as a person would see it.
    const result = spawnSync(
      'script',
      ['-qfec', `"${process.execPath}" "${cli}" --config "${config}"`, '/dev/null'],
      {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: dir, CATBRIDGE_STATE_DIR: dir },
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(1);
    const lines = result.stdout.replace(/\r/g, '').trimEnd().split('\n');
    expect(result.stdout).toContain('backend connected');
    expect(lines.at(-1)).toMatch(
      new RegExp(`^catbridge: cannot serve HTTP on 127.0.0.1:${port}: .*EADDRINUSE`),
    );
  });
});
