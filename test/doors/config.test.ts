/**
 * The doors' config (issue 14): `servers:`, `ports.<n>.tcp`, `transport: tcp`, and the rules that keep a
 * door safe (loopback unless `allow:` lists who may connect) and sane (no loop onto a backend, no two
 * listeners on one address). Errors name the file, line and key, as every config error does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/gateway/config.js';

describe('doors config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catbridge-doors-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function config(body: string, port = ''): string {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `backends:\n  shack:\n    type: rigctld\n    address: 127.0.0.1:4532\nports:\n  ft8:\n    rig: ts2000\n    backend: shack\n    link: ${dir}/ft8\n${port}${body}`,
    );
    return file;
  }

  it('servers get their defaults: listen 4532 for rigctld, loopback, idle release after 10 s', () => {
    // The backend moved to 4534, as the README tells, so the door can take rigctld's 4532.
    const file = config('servers:\n  hamlib:\n    type: rigctld\n    backend: shack\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace('127.0.0.1:4532', '127.0.0.1:4534'));
    expect(loadConfig(file).servers).toEqual([
      {
        name: 'hamlib',
        type: 'rigctld',
        listen: '127.0.0.1:4532',
        backend: 'shack',
        readonly: false,
        ptt: { allow: true, max_seconds: 300 },
        ptt_idle_s: 10,
        vfo_mode: false,
      },
    ]);
  });

  it('an flrig server listens on 12345 by default', () => {
    const loaded = loadConfig(config('servers:\n  fl:\n    type: flrig\n    backend: shack\n'));
    expect(loaded.servers[0]).toMatchObject({ name: 'fl', type: 'flrig', listen: '127.0.0.1:12345' });
  });

  it('a door listening where its backend is, is a loop', () => {
    expect(() => loadConfig(config('servers:\n  hamlib:\n    type: rigctld\n    backend: shack\n'))).toThrow(
      /:1[0-9]:\d+: servers\.hamlib: server "hamlib" would listen on 127\.0\.0\.1:4532, where backend "shack" is \(a loop\)/,
    );
    expect(() => loadConfig(config('', '    tcp: 0.0.0.0:4532\n'))).toThrow(/a loop/);
  });

  it('a non-loopback listener needs allow:, which takes IPv4 and IPv6 networks', () => {
    expect(() =>
      loadConfig(
        config('servers:\n  hamlib:\n    type: rigctld\n    listen: 0.0.0.0:4600\n    backend: shack\n'),
      ),
    ).toThrow(
      /servers\.hamlib: server "hamlib" listens on 0\.0\.0\.0:4600, not a loopback address: list who may connect/,
    );
    const ok = loadConfig(
      config(
        'servers:\n  hamlib:\n    type: rigctld\n    listen: 0.0.0.0:4600\n    backend: shack\n    allow: [192.168.1.0/24, "fd00::/8"]\n',
      ),
    );
    expect(ok.servers[0]!.allow).toEqual(['192.168.1.0/24', 'fd00::/8']);
    expect(() => loadConfig(config('', '    tcp: { listen: "0.0.0.0:5002", allow: [lan] }\n'))).toThrow(
      /ports\.ft8\.tcp\.allow: "lan" is not an IP address/,
    );
  });

  it('listen addresses follow the one rule: 127.1 and names fail the check, not the start (issue 17)', () => {
    expect(() => loadConfig(config('', '    tcp: 127.1:5002\n'))).toThrow(/ports\.ft8\.tcp.*not "127\.1"/);
    expect(() => loadConfig(config('http:\n  listen: 127.0.0.1.nip.io:4580\n'))).toThrow(
      /http\.listen.*not "127\.0\.0\.1\.nip\.io"/,
    );
  });

  it('transport: tcp needs tcp:, and two listeners may not share an address', () => {
    expect(() => loadConfig(config('', '    transport: tcp\n'))).toThrow(
      /ports\.ft8\.transport: transport: tcp needs/,
    );
    expect(() =>
      loadConfig(
        config(
          'servers:\n  hamlib:\n    type: rigctld\n    listen: 127.0.0.1:5002\n    backend: shack\n',
          '    tcp: 127.0.0.1:5002\n',
        ),
      ),
    ).toThrow(/both listen on 127\.0\.0\.1:5002/);
    const tcpOnly = loadConfig(config('', '    transport: tcp\n    tcp: 127.0.0.1:5002\n'));
    expect(tcpOnly.ports[0]!.tcp).toEqual({ listen: '127.0.0.1:5002', ptt_idle_s: 10 });
  });

  it('a server on an unknown backend is named', () => {
    expect(() =>
      loadConfig(
        config('servers:\n  hamlib:\n    type: rigctld\n    listen: 127.0.0.1:4600\n    backend: nope\n'),
      ),
    ).toThrow(/servers\.hamlib\.backend: unknown backend "nope" \(configured: shack\)/);
  });
});
