/**
 * DextPort against a fake of the dext's user client (no macOS needed): the fake keeps, per port, the
 * app's open state, its modem lines, the app → Node bytes and a small RX ring with the dext's
 * back-pressure and event rules (dext/core/port_core.hpp), and rings the doorbell as the driver does.
 * The real driver side is proven by test/dext/host.test.ts; the real IOKit client runs only on a Mac.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DextEvent,
  DextHub,
  DextPort,
  type DextPortState,
  type NativeDextClient,
} from '../../src/gateway/ports/dext-port.js';
import { until } from '../support/gateway-harness.js';
import { tempDir } from './helpers.js';

interface FakePort {
  name: string;
  active: boolean;
  dtr: boolean;
  rts: boolean;
  baud: number;
  dataBits: number;
  halfStopBits: number;
  parity: number;
  toNode: number[];
  toApp: number[];
  rxBlocked: boolean;
  modemValue: number;
}

class FakeDext implements NativeDextClient {
  readonly ports = new Map<number, FakePort>();
  private pending = new Map<number, number>();
  private doorbell: (() => void) | undefined;
  private terminated: (() => void) | undefined;
  private nextId = 0x101;
  /** calloutPath answers null this many times first (the BSD client registers asynchronously). */
  calloutMisses = 0;
  /** The device the kernel made, per name (default /dev/cu.catbridge-<name>). */
  devices = new Map<string, string | null>();
  /** Every read answers this many bytes of 'x' (an app writing without pause), when set. */
  endlessReadBytes: number | undefined;
  reads = 0;
  /** After terminate(): every call throws, as calls on a dead connection do. */
  dead = false;
  calls = 0;
  closed = false;
  /** RX ring capacity (size - 1), as small as the host tests' rings. */
  rxCapacity = 15;
  /** Whether the app's reads raise RX_SPACE after a blocked write (the kernel need not). */
  notifyRxSpace = true;
  destroyed: number[] = [];

  createPort(name: string): number {
    this.live();
    for (const [id, p] of this.ports) if (p.name === name) return id;
    const id = this.nextId++;
    this.ports.set(id, {
      name,
      active: false,
      dtr: false,
      rts: false,
      baud: 9600,
      dataBits: 8,
      halfStopBits: 2,
      parity: 1,
      toNode: [],
      toApp: [],
      rxBlocked: false,
      modemValue: 0,
    });
    return id;
  }
  destroyPort(id: number): void {
    this.ports.delete(id);
    this.destroyed.push(id);
  }
  read(id: number, max: number): Uint8Array {
    const p = this.port(id);
    this.reads++;
    if (this.endlessReadBytes !== undefined) return new Uint8Array(this.endlessReadBytes).fill(0x78);
    return Uint8Array.from(p.toNode.splice(0, max));
  }
  write(id: number, bytes: Uint8Array): number {
    const p = this.port(id);
    if (!p.active) return 0;
    const n = Math.min(bytes.length, this.rxCapacity - p.toApp.length);
    p.toApp.push(...bytes.subarray(0, n));
    if (n < bytes.length) p.rxBlocked = true;
    return n;
  }
  setModemLines(id: number, value: number, mask: number): void {
    const p = this.port(id);
    p.modemValue = (p.modemValue & ~mask) | (value & mask);
  }
  portState(id: number): DextPortState {
    const p = this.port(id);
    return {
      connected: p.active,
      active: p.active,
      baud: p.baud,
      dataBits: p.dataBits,
      halfStopBits: p.halfStopBits,
      parity: p.parity,
      dtr: p.dtr,
      rts: p.rts,
      modem: p.modemValue,
      breakOn: false,
      flowArg: 0,
      txUsed: p.toNode.length,
      rxFree: this.rxCapacity - p.toApp.length,
      openCount: 0,
      corruptCount: 0,
      txBytes: 0,
      rxBytes: 0,
    };
  }
  fetchEvents(): { portId: number; bits: number }[] {
    this.live();
    const out = [...this.pending].map(([portId, bits]) => ({ portId, bits }));
    this.pending.clear();
    return out;
  }
  start(onDoorbell: () => void, onTerminated: () => void): void {
    this.live();
    this.doorbell = onDoorbell;
    this.terminated = onTerminated;
  }
  calloutPath(id: number): string | null {
    const name = this.port(id).name;
    if (this.calloutMisses > 0) {
      this.calloutMisses--;
      return null;
    }
    return this.devices.has(name) ? this.devices.get(name)! : `/dev/cu.catbridge-${name}`;
  }
  close(): void {
    this.closed = true;
  }
  /** The driver's service terminates: the notification, and a dead connection from then on. */
  terminate(): void {
    this.dead = true;
    setImmediate(() => this.terminated?.());
  }

  // ---- the app's side, as the kernel would report it to the driver ----
  appOpen(id: number): void {
    const p = this.port(id);
    p.dtr = p.rts = true; // HwProgramMCR(1,1) precedes HwActivate
    p.active = true;
    this.raise(id, DextEvent.mcr | DextEvent.open);
  }
  appClose(id: number, hupcl = true): void {
    const p = this.port(id);
    if (hupcl) p.dtr = p.rts = false;
    p.active = false;
    p.toApp = [];
    this.raise(id, (hupcl ? DextEvent.mcr : 0) | DextEvent.close);
  }
  appSetLines(id: number, lines: { rts?: boolean; dtr?: boolean }): void {
    const p = this.port(id);
    p.rts = lines.rts ?? p.rts;
    p.dtr = lines.dtr ?? p.dtr;
    this.raise(id, DextEvent.mcr);
  }
  appWrite(id: number, text: string): void {
    this.port(id).toNode.push(...Buffer.from(text, 'latin1'));
    this.raise(id, DextEvent.txData);
  }
  appRead(id: number): string {
    const p = this.port(id);
    const bytes = p.toApp.splice(0);
    if (bytes.length > 0 && p.rxBlocked && this.notifyRxSpace) {
      p.rxBlocked = false;
      this.raise(id, DextEvent.rxSpace);
    }
    return Buffer.from(bytes).toString('latin1');
  }
  raise(id: number, bits: number): void {
    this.pending.set(id, (this.pending.get(id) ?? 0) | bits);
    setImmediate(() => this.doorbell?.());
  }
  private live(): void {
    this.calls++;
    if (this.dead) throw new Error('(fake) the connection is dead');
  }
  private port(id: number): FakePort {
    this.live();
    const p = this.ports.get(id);
    if (!p) throw new Error(`no port ${id}`);
    return p;
  }
}

describe('DextPort', () => {
  const opened: DextPort[] = [];
  const dirs: { remove(): void }[] = [];
  const open = async (fake: FakeDext, name = 'ft8', hub = new DextHub(fake), calloutWaitMs?: number) => {
    const dir = tempDir('catbridge-dext-');
    dirs.push(dir);
    const port = await DextPort.open({ name, link: join(dir.path, name), hub, calloutWaitMs });
    opened.push(port);
    const id = [...fake.ports].find(([, p]) => p.name === name)![0];
    return { port, id };
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('creates /dev/cu.catbridge-<name>, links it, and follows the app in and out', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    expect(port.path).toBe('/dev/cu.catbridge-ft8');
    expect(readlinkSync(port.link)).toBe('/dev/cu.catbridge-ft8');
    const seen: string[] = [];
    port.on('client', (o) => seen.push(o ? 'open' : 'closed'));
    port.on('lines', (l) => seen.push(`rts=${l.rts} dtr=${l.dtr}`));
    port.on('data', (b) => seen.push(`data ${Buffer.from(b).toString('latin1')}`));
    fake.appOpen(id);
    await until(() => port.clientOpen);
    fake.appWrite(id, 'FA;');
    await until(() => seen.length >= 3);
    port.write(Buffer.from('FA00014074000;'));
    expect(fake.appRead(id)).toBe('FA00014074000;');
    fake.appClose(id);
    await until(() => !port.clientOpen);
    // The lines' fall (HUPCL) is reported before the close, so a line-keyed PTT is released first.
    expect(seen).toEqual(['open', 'rts=true dtr=true', 'data FA;', 'rts=false dtr=false', 'closed']);
    await port.close();
    expect(fake.destroyed).toEqual([id]);
    expect(existsSync(port.link)).toBe(false);
  });

  it('holds back what the ring cannot take and delivers it in order as the app reads', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    fake.appOpen(id);
    await until(() => port.clientOpen);
    const text = Array.from({ length: 40 }, (_, i) => `IF${String(i).padStart(3, '0')};`).join('');
    port.write(Buffer.from(text));
    expect(port.stats().queuedBytes).toBe(text.length - 15);
    let got = '';
    await until(() => {
      got += fake.appRead(id);
      return got.length === text.length;
    }, 3000);
    expect(got).toBe(text);
    expect(port.stats()).toMatchObject({ queuedBytes: 0, bytesOut: text.length });
  });

  it('resumes on its retry timer when the kernel never says RxFreeSpaceAvailable', async () => {
    const fake = new FakeDext();
    fake.notifyRxSpace = false;
    const { port, id } = await open(fake);
    fake.appOpen(id);
    await until(() => port.clientOpen);
    const text = 'x'.repeat(100);
    port.write(Buffer.from(text));
    let got = '';
    await until(() => {
      got += fake.appRead(id);
      return got.length === text.length;
    }, 3000);
    expect(got).toBe(text);
  });

  it('drops bytes while no app holds the port, and its backlog when the app flushes or leaves', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    port.write(Buffer.from('lost;'));
    expect(port.stats().droppedNoClientBytes).toBe(5);
    fake.appOpen(id);
    await until(() => port.clientOpen);
    port.write(Buffer.from('y'.repeat(40)));
    expect(port.stats().queuedBytes).toBe(25);
    fake.raise(id, DextEvent.fifoResetRx);
    await until(() => port.stats().queuedBytes === 0);
    port.write(Buffer.from('z'.repeat(40)));
    fake.appClose(id);
    await until(() => !port.clientOpen);
    expect(port.stats().queuedBytes).toBe(0);
  });

  it('reports the app’s line settings and sets the lines it reads', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    const p = fake.ports.get(id)!;
    Object.assign(p, { baud: 38400, dataBits: 7, halfStopBits: 4, parity: 3 });
    fake.appOpen(id);
    await until(() => port.clientOpen);
    expect(port.lineSettings()).toEqual({ baud: 38400, dataBits: 7, parity: 'even', stopBits: 2 });
    port.setModemLines({ cts: true, dsr: true, dcd: false });
    expect(p.modemValue).toBe(1 | 2);
  });

  it('adopts a port an app still holds open and says so', async () => {
    const fake = new FakeDext();
    const id = fake.createPort('logger');
    fake.appOpen(id);
    fake.fetchEvents();
    const events: boolean[] = [];
    const { port } = await open(fake, 'logger');
    port.on('client', (o) => events.push(o));
    await until(() => events.length === 1);
    expect(events).toEqual([true]);
    expect(port.lines()).toEqual({ rts: true, dtr: true });
  });

  it('takes the device the kernel made, waiting for it to register, and says when it had to guess', async () => {
    const fake = new FakeDext();
    fake.calloutMisses = 3;
    fake.devices.set('logger', '/dev/cu.catbridge-1'); // the name was still held: a unit number instead
    const { port } = await open(fake, 'logger');
    expect(port.path).toBe('/dev/cu.catbridge-1');
    expect(port.pathConfirmed).toBe(true);
    expect(readlinkSync(port.link)).toBe('/dev/cu.catbridge-1');
    fake.devices.set('late', null); // never registers
    const started = Date.now();
    const { port: late } = await open(fake, 'late', undefined, 60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(late.path).toBe('/dev/cu.catbridge-late');
    expect(late.pathConfirmed).toBe(false);
  });

  it('drains in bounded turns when the app writes without pause', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    fake.appOpen(id);
    await until(() => port.clientOpen);
    let bytes = 0;
    port.on('data', (b) => {
      bytes += b.length;
    });
    fake.endlessReadBytes = 4096;
    fake.reads = 0;
    port.handle(DextEvent.txData);
    // One turn reads at most 16 full chunks, then yields; the next turns go on.
    expect(fake.reads).toBe(16);
    expect(bytes).toBe(16 * 4096);
    await until(() => fake.reads >= 48);
    fake.endlessReadBytes = undefined;
  });

  it('treats a read longer than asked for as a broken connection, not data', async () => {
    const fake = new FakeDext();
    const { port, id } = await open(fake);
    fake.appOpen(id);
    await until(() => port.clientOpen);
    const errors: string[] = [];
    port.on('error', (e) => errors.push(e.message));
    let data = 0;
    port.on('data', () => data++);
    fake.endlessReadBytes = 8192;
    port.handle(DextEvent.txData);
    expect(data).toBe(0);
    expect(errors).toEqual(['the dext returned 8192 bytes for a 4096-byte read']);
    expect(port.clientOpen).toBe(false);
  });

  it('marks its ports failed once when the driver stops, and re-creates them when it is back', async () => {
    const first = new FakeDext();
    const second = new FakeDext();
    let attempts = 0;
    const hub = new DextHub(first, {
      reconnectMs: 20,
      connect: () => {
        attempts++;
        // Not back for longer than a watchdog period (250 ms): the failure must not repeat meanwhile.
        if (attempts < 16) throw new Error('(fake) the catbridge driver is not running');
        return second;
      },
    });
    const { port, id } = await open(first, 'ft8', hub);
    const seen: string[] = [];
    port.on('error', (e) => seen.push(`error ${e.message}`));
    port.on('client', (o) => seen.push(o ? 'open' : 'closed'));
    port.on('lines', (l) => seen.push(`rts=${l.rts}`));
    port.on('data', (b) => seen.push(`data ${Buffer.from(b).toString('latin1')}`));
    first.appOpen(id);
    await until(() => port.clientOpen);
    first.terminate();
    await until(() => !hub.up);
    expect(first.closed).toBe(true);
    await until(() => hub.up, 3000);
    expect(attempts).toBe(16);
    const newId = [...second.ports].find(([, p]) => p.name === 'ft8')![0];
    expect(port.portId).toBe(newId);
    second.appOpen(newId);
    second.appWrite(newId, 'FA;');
    await until(() => seen.includes('data FA;'));
    expect(seen).toEqual([
      'open',
      'rts=true',
      'rts=false',
      'closed',
      'error the catbridge driver stopped (crashed, upgraded or deactivated)',
      'open',
      'rts=true',
      'data FA;',
    ]);
  });

  it('a failed call takes the hub down once, even without the termination notice', async () => {
    const fake = new FakeDext();
    const hub = new DextHub(fake);
    const { port } = await open(fake, 'ft8', hub);
    const errors: string[] = [];
    port.on('error', (e) => errors.push(e.message));
    fake.dead = true;
    hub.ring();
    hub.ring();
    port.handle(DextEvent.txData | DextEvent.mcr);
    const calls = fake.calls;
    hub.ring();
    expect(fake.calls).toBe(calls); // a hub that is down calls nothing
    expect(errors).toEqual(['(fake) the connection is dead']);
    expect(hub.up).toBe(false);
  });
});
