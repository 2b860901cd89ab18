/**
 * The addon's dext client (native/src/dext_client.cc), the real source, built on Linux against the stub
 * user-space IOKit headers (dext/stub-sdk/userspace) and linked with a fake kernel and dext
 * (fixtures/fake_kernel.cc) that treats the structure output size as xnu does: an answer without an
 * OSData leaves it as the caller passed it. This is what made an empty Read return 4096 bytes of stack
 * and an empty FetchEvents 16 stale events on the old code (issue 16, defect 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { run } from './run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

/** Selectors, as dext/core/uc_protocol.h numbers them. */
const READ = 3;
const FETCH_EVENTS = 8;

interface FakeControl {
  reset(): void;
  queueRead(portId: number, bytes: Uint8Array): void;
  queueEvent(portId: number, bits: number): void;
  scalarOutCapacity(selector: number): number | null;
  setBsdDelay(lookups: number): void;
  terminateDriver(): void;
  ring(): void;
}

interface Client {
  createPort(name: string): number;
  read(id: number, max: number): Uint8Array;
  fetchEvents(): { portId: number; bits: number }[];
  calloutPath(id: number): string | null;
  start(onDoorbell: () => void, onTerminated: () => void): void;
  close(): void;
}

interface Addon {
  DextClient: new () => Client;
  fake: FakeControl;
}

describe('the addon’s dext client on a fake kernel', () => {
  let work: string;
  let addon: Addon;
  const clients: Client[] = [];
  const connect = () => {
    const client = new addon.DextClient();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'catbridge-dext-addon-'));
    const out = join(work, 'fake_dext_addon.node');
    const nodeInclude = join(dirname(dirname(process.execPath)), 'include', 'node');
    const build = await run(process.env.CXX ?? 'g++', [
      '-std=c++17',
      '-shared',
      '-fPIC',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-fno-exceptions',
      '-DNAPI_VERSION=8',
      '-DNODE_ADDON_API_DISABLE_CPP_EXCEPTIONS',
      '-isystem',
      join(root, 'dext/stub-sdk/userspace'),
      '-isystem',
      nodeInclude,
      '-isystem',
      require('node-addon-api').include_dir as string,
      '-I',
      join(root, 'dext/core'),
      '-I',
      join(root, 'native/src'),
      // Node's symbols resolve when the addon loads (macOS's linker must be told; Linux's allows it).
      ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : []),
      '-o',
      out,
      join(root, 'native/src/dext_client.cc'),
      join(root, 'test/dext/fixtures/fake_kernel.cc'),
    ]);
    if (build.code !== 0) throw new Error(`building the addon on the fake kernel failed:\n${build.output}`);
    addon = require(out) as Addon;
  }, 120_000);

  afterAll(() => {
    for (const client of clients.splice(0)) client.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('an empty Read returns no bytes, and asks for the count as a scalar', () => {
    addon.fake.reset();
    const client = connect();
    const id = client.createPort('ft8');
    expect(client.read(id, 4096).length).toBe(0);
    expect(addon.fake.scalarOutCapacity(READ)).toBe(1);
  });

  it('a Read returns exactly what the app wrote, at most max', () => {
    addon.fake.reset();
    const client = connect();
    const id = client.createPort('ft8');
    addon.fake.queueRead(id, Buffer.from('FA;IF;'));
    expect(Buffer.from(client.read(id, 3)).toString()).toBe('FA;');
    expect(Buffer.from(client.read(id, 4096)).toString()).toBe('IF;');
    expect(client.read(id, 4096).length).toBe(0);
  });

  it('an empty FetchEvents returns no events, a full one each event once', () => {
    addon.fake.reset();
    const client = connect();
    expect(client.fetchEvents()).toEqual([]);
    expect(addon.fake.scalarOutCapacity(FETCH_EVENTS)).toBe(1);
    addon.fake.queueEvent(0x101, 1);
    addon.fake.queueEvent(0x102, 0x21);
    expect(client.fetchEvents()).toEqual([
      { portId: 0x101, bits: 1 },
      { portId: 0x102, bits: 0x21 },
    ]);
    expect(client.fetchEvents()).toEqual([]);
  });

  it('finds the device under the port it created, once its BSD client has registered', () => {
    addon.fake.reset();
    addon.fake.setBsdDelay(2);
    const client = connect();
    const id = client.createPort('ft8');
    expect(client.calloutPath(id)).toBeNull();
    expect(client.calloutPath(id)).toBeNull();
    expect(client.calloutPath(id)).toBe('/dev/cu.catbridge-ft8');
    // The kernel gave a port whose name was still held a unit number: the path says so.
    addon.fake.setBsdDelay(0);
    expect(client.calloutPath(client.createPort('taken'))).toBe('/dev/cu.catbridge-1');
  });

  it('reports the driver’s termination from the event loop', async () => {
    addon.fake.reset();
    const client = connect();
    let rings = 0;
    let terminated = 0;
    client.start(
      () => rings++,
      () => terminated++,
    );
    addon.fake.ring();
    await until(() => rings === 1);
    addon.fake.terminateDriver();
    await until(() => terminated === 1);
    expect(() => connect()).toThrow(/not running/);
  });
});
