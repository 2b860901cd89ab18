/**
 * A VirtualPort on the catbridge DriverKit extension (macOS): a real serial device,
 * /dev/cu.catbridge-<name>, that appears in every program's port list and has modem lines. The dext
 * and its user-client protocol are in dext/ (dext/PROTOCOL.md); the native side is
 * native/src/dext_client.cc. This class adds what the protocol leaves to the client: draining the app's
 * bytes on TX_DATA, holding back what the ring cannot take (back-pressure) until RX_SPACE or a retry,
 * following the app's opens and closes, and reporting RTS/DTR so a port can key PTT from them.
 *
 * One DextHub (one user-client connection, one doorbell) serves every DextPort of the process. When the
 * dext stops (a crash, an upgrade, a deactivation) the hub marks its ports failed once, then reconnects
 * and re-creates them by name when the driver is back.
 */
import { EventEmitter } from 'node:events';
import { createLink, defaultLinkPath, removeLink } from './link-path.js';
import { loadAddon } from './pty-native.js';
import type { LineSettings, VirtualPort } from './virtual-port.js';

/** Event bits, as dext/core/uc_protocol.h defines them. */
export const DextEvent = {
  txData: 1 << 0,
  rxSpace: 1 << 1,
  mcr: 1 << 2,
  line: 1 << 3,
  flow: 1 << 4,
  open: 1 << 5,
  close: 1 << 6,
  break: 1 << 7,
  fifoResetTx: 1 << 8,
  fifoResetRx: 1 << 9,
  corrupt: 1 << 10,
} as const;

/** Modem input lines the app sees (CATBRIDGE_MODEM_*). */
export const ModemLine = { cts: 1, dsr: 2, ri: 4, dcd: 8 } as const;

/** What native DextClient.portState() returns (catbridge_uc_port_state, decoded). */
export interface DextPortState {
  connected: boolean;
  active: boolean;
  baud: number;
  dataBits: number;
  halfStopBits: number;
  parity: number;
  dtr: boolean;
  rts: boolean;
  modem: number;
  breakOn: boolean;
  flowArg: number;
  txUsed: number;
  rxFree: number;
  openCount: number;
  corruptCount: number;
  txBytes: number;
  rxBytes: number;
}

/** The native user-client connection (native/src/dext_client.cc); a fake in tests. */
export interface NativeDextClient {
  createPort(name: string): number;
  destroyPort(id: number): void;
  /** The app's bytes, at most `max`; empty when there are none. */
  read(id: number, max: number): Uint8Array;
  /** Bytes accepted; fewer than given is back-pressure. */
  write(id: number, bytes: Uint8Array): number;
  setModemLines(id: number, value: number, mask: number): void;
  portState(id: number): DextPortState;
  fetchEvents(): { portId: number; bits: number }[];
  /**
   * Arms the doorbell; onDoorbell runs from the event loop after events were raised, onTerminated once
   * the driver's service has terminated (the connection is dead from then on).
   */
  start(onDoorbell: () => void, onTerminated: () => void): void;
  /** The /dev/cu.* of the BSD client under this port, or null if the kernel has not registered it yet. */
  calloutPath(id: number): string | null;
  close(): void;
}

/** The app's modem output lines: what it set with TIOCMSET/TIOCMBIS, or dropped by HUPCL at close. */
export interface ModemOutputs {
  rts: boolean;
  dtr: boolean;
}

/** A VirtualPort with modem lines (DextPort), for RTS/DTR PTT (src/gateway/rig/line-ptt.ts). */
export interface LinePort extends VirtualPort {
  lines(): ModemOutputs;
  on(event: 'lines', fn: (lines: ModemOutputs) => void): this;
  on(event: 'data', fn: (bytes: Uint8Array) => void): this;
  on(event: 'client', fn: (open: boolean) => void): this;
  on(event: 'error', fn: (err: Error) => void): this;
  off(event: 'lines', fn: (lines: ModemOutputs) => void): this;
  off(event: 'client', fn: (open: boolean) => void): this;
}

/** The most bytes one read or write moves (CATBRIDGE_UC_MAX_IO). */
const MAX_IO = 4096;
/** Reads per drain before yielding to the event loop: an app writing without pause cannot starve it. */
const MAX_DRAIN_READS = 16;
/** Bytes kept for an app that is not reading; beyond this they are dropped and counted (as PtyPort). */
const MAX_BACKLOG = 64 * 1024;
/** RxFreeSpaceAvailable is a hint, not a promise (research/dext.md §5.3): retry a blocked write. */
const RETRY_MS = 20;
/** In case a doorbell completion is lost: fetch events and re-read every port's state. */
const WATCHDOG_MS = 250;
/** How often a hub whose driver went away tries to connect again. */
const RECONNECT_MS = 1000;

export interface DextHubOptions {
  /** Opens a new connection after the driver restarted; without it the hub stays down. */
  connect?: () => NativeDextClient;
  /** Default RECONNECT_MS. */
  reconnectMs?: number;
}

/**
 * One user-client connection shared by every DextPort; routes doorbell events to ports by id. A failed
 * call or the driver's termination takes the hub down once: every port hears one error, and the hub
 * reconnects (every reconnectMs) and re-creates its ports by name.
 */
export class DextHub {
  private static shared: DextHub | undefined;
  private readonly ports = new Set<DextPort>();
  private watchdog: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private started = false;
  private down = false;
  private closed = false;

  constructor(
    public client: NativeDextClient,
    private readonly options: DextHubOptions = {},
  ) {}

  /** The process's hub on the native addon (macOS with the dext active); created on first use. */
  static default(): DextHub {
    if (!DextHub.shared) {
      const addon = loadAddon() as unknown as { DextClient?: new () => NativeDextClient };
      const Client = addon.DextClient;
      if (!Client) throw new Error('the dext transport needs macOS (this addon has no DextClient)');
      DextHub.shared = new DextHub(new Client(), { connect: () => new Client() });
    }
    return DextHub.shared;
  }

  /** False while the driver is gone and the hub is waiting to reconnect. */
  get up(): boolean {
    return !this.down && !this.closed;
  }

  add(port: DextPort): void {
    this.ports.add(port);
    if (!this.started) {
      this.started = true;
      const client = this.client;
      client.start(
        () => this.ring(),
        () => this.fail(client, new Error('the catbridge driver stopped (crashed, upgraded or deactivated)')),
      );
    }
    if (!this.watchdog) {
      this.watchdog = setInterval(() => this.tick(), WATCHDOG_MS);
      this.watchdog.unref();
    }
  }

  remove(port: DextPort): void {
    this.ports.delete(port);
    if (this.ports.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  /** The doorbell: fetch once (the dext clears its flag first, so later events ring again). */
  ring(): void {
    if (!this.up) return;
    let events: { portId: number; bits: number }[];
    try {
      events = this.client.fetchEvents();
    } catch (err) {
      this.fail(this.client, err as Error);
      return;
    }
    for (const { portId, bits } of events) {
      for (const port of this.ports) if (port.portId === portId) port.handle(bits);
    }
  }

  /**
   * A call on `client` failed, or its driver terminated: once per connection, every port hears of it
   * and the hub starts reconnecting. Later failures of the same dead connection say nothing more.
   */
  fail(client: NativeDextClient, err: Error): void {
    if (client !== this.client || this.down || this.closed) return;
    this.down = true;
    this.started = false;
    try {
      client.close();
    } catch {
      // the connection is already dead
    }
    for (const port of this.ports) port.lost(err);
    if (this.options.connect) {
      this.reconnect = setInterval(() => this.tryReconnect(), this.options.reconnectMs ?? RECONNECT_MS);
      this.reconnect.unref();
    }
  }

  private tryReconnect(): void {
    let client: NativeDextClient;
    try {
      client = this.options.connect!();
    } catch {
      return; // not back yet
    }
    clearInterval(this.reconnect);
    this.reconnect = undefined;
    this.client = client;
    this.down = false;
    // A port whose re-creation fails takes the hub down again; it stays listed and is retried.
    for (const port of [...this.ports]) {
      if (this.down) return;
      port.reattach();
    }
  }

  private tick(): void {
    if (!this.up) return;
    this.ring();
    for (const port of this.ports) port.handle(DextEvent.mcr | DextEvent.txData);
  }

  /** Closes the connection: the dext keeps the ports, with every input line dropped. */
  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    clearInterval(this.reconnect);
    this.reconnect = undefined;
    this.client.close();
    if (DextHub.shared === this) DextHub.shared = undefined;
  }
}

export interface DextPortOptions {
  /** The port's name in the config: the device is /dev/cu.catbridge-<name>. */
  name: string;
  /** A symlink to the device, as for a pty (a leading `~` is expanded); default defaultLinkPath(name). */
  link?: string;
  /** Default DextHub.default(). */
  hub?: DextHub;
  /**
   * How long to wait for the kernel to register the port's BSD client (it does so asynchronously after
   * CreatePort) before assuming /dev/cu.catbridge-<name>; default CALLOUT_WAIT_MS.
   */
  calloutWaitMs?: number;
}

/** The BSD client usually registers within milliseconds; this is the bound, not the expectation. */
const CALLOUT_WAIT_MS = 2000;
const CALLOUT_POLL_MS = 10;

/** The device the kernel made for a port, polled until it appears or `waitMs` has passed. */
async function calloutPath(client: NativeDextClient, id: number, waitMs: number): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const path = client.calloutPath(id);
    if (path !== null || Date.now() >= deadline) return path;
    await new Promise((resolve) => setTimeout(resolve, CALLOUT_POLL_MS));
  }
}

export interface DextPortEvents {
  data: [bytes: Uint8Array];
  client: [open: boolean];
  lines: [lines: ModemOutputs];
  error: [err: Error];
}

export interface DextPortStats {
  bytesIn: number;
  bytesOut: number;
  queuedBytes: number;
  droppedOverflowBytes: number;
  droppedNoClientBytes: number;
  corruptResyncs: number;
}

const PARITY: Record<number, LineSettings['parity']> = { 2: 'odd', 3: 'even' };

export class DextPort extends EventEmitter<DextPortEvents> implements LinePort {
  private state: DextPortState;
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters = { bytesIn: 0, bytesOut: 0, droppedOverflowBytes: 0, droppedNoClientBytes: 0 };

  private failed = false;

  private constructor(
    readonly name: string,
    readonly link: string,
    readonly path: string,
    /** False when the kernel's device did not show up in time and `path` is the name asked for. */
    readonly pathConfirmed: boolean,
    private id: number,
    private readonly hub: DextHub,
  ) {
    super();
    this.state = hub.client.portState(id);
  }

  /** Creates (or adopts) /dev/cu.catbridge-<name> in the dext and links it. */
  static async open(options: DextPortOptions): Promise<DextPort> {
    const hub = options.hub ?? DextHub.default();
    const id = hub.client.createPort(options.name);
    // The device the kernel made, which differs from the name asked for if that was still held.
    const found = await calloutPath(hub.client, id, options.calloutWaitMs ?? CALLOUT_WAIT_MS);
    const path = found ?? `/dev/cu.catbridge-${options.name}`;
    let link: string;
    try {
      link = createLink(options.link ?? defaultLinkPath(options.name), path);
    } catch (err) {
      hub.client.destroyPort(id);
      throw err;
    }
    const port = new DextPort(options.name, link, path, found !== null, id, hub);
    hub.add(port);
    // An app may already hold an adopted port open: report it from a later turn, after listeners attach.
    if (port.state.active) setImmediate(() => port.state.active && !port.closed && port.emit('client', true));
    return port;
  }

  /** The dext's id for this port (it changes when the hub re-creates the port after a driver restart). */
  get portId(): number {
    return this.id;
  }

  get clientOpen(): boolean {
    return !this.closed && this.state.active;
  }

  lines(): ModemOutputs {
    return { rts: this.state.rts, dtr: this.state.dtr };
  }

  /** What the app set with tcsetattr (HwProgramUART / IOSSIOSPEED), as the driver was told. */
  lineSettings(): LineSettings {
    const s = this.state;
    return {
      baud: s.baud,
      dataBits: (s.dataBits >= 5 && s.dataBits <= 8 ? s.dataBits : 8) as LineSettings['dataBits'],
      parity: PARITY[s.parity] ?? 'none',
      stopBits: s.halfStopBits >= 4 ? 2 : 1,
    };
  }

  /** The lines the app reads (CTS, DSR, DCD, RI). All but RI are high while the gateway runs. */
  setModemLines(lines: Partial<Record<keyof typeof ModemLine, boolean>>): void {
    let value = 0;
    let mask = 0;
    for (const [key, bit] of Object.entries(ModemLine)) {
      const on = lines[key as keyof typeof ModemLine];
      if (on === undefined) continue;
      mask |= bit;
      if (on) value |= bit;
    }
    if (this.closed || this.failed || mask === 0) return;
    const client = this.hub.client;
    try {
      client.setModemLines(this.id, value, mask);
    } catch (err) {
      this.hub.fail(client, err as Error);
    }
  }

  /** Never blocks: what the ring cannot take waits (up to 64 KiB) for the app to read. */
  write(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    if (!this.state.active) {
      this.counters.droppedNoClientBytes += bytes.length;
      return;
    }
    const room = MAX_BACKLOG - this.backlogBytes;
    if (bytes.length > room) this.counters.droppedOverflowBytes += bytes.length - Math.max(0, room);
    if (room <= 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.backlog.push(kept);
    this.backlogBytes += kept.length;
    this.flush();
  }

  stats(): DextPortStats {
    return { ...this.counters, queuedBytes: this.backlogBytes, corruptResyncs: this.state.corruptCount };
  }

  /** Events for this port, from the hub (the doorbell, or the watchdog with MCR|TX_DATA). */
  handle(bits: number): void {
    if (this.closed || this.failed) return;
    const client = this.hub.client;
    try {
      if (bits & DextEvent.fifoResetRx) this.dropBacklog();
      if (bits & (DextEvent.mcr | DextEvent.line | DextEvent.flow | DextEvent.open | DextEvent.close)) {
        this.refresh();
      }
      if (bits & DextEvent.txData) this.drain();
      if (bits & DextEvent.rxSpace) this.flush();
    } catch (err) {
      this.hub.fail(client, err as Error);
    }
  }

  /**
   * The driver went away (DextHub.fail): said once; the app's side is gone with it, so an open client
   * is reported closed (lines low first, releasing a line-keyed PTT). The port waits for reattach().
   */
  lost(err: Error): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    clearTimeout(this.retry);
    this.dropBacklog();
    const before = this.state;
    this.state = { ...before, active: false, rts: false, dtr: false };
    if (before.rts || before.dtr) this.emit('lines', { rts: false, dtr: false });
    if (before.active) this.emit('client', false);
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  /** The hub reconnected: the port is created again in the new driver, under its old name. */
  reattach(): void {
    if (this.closed) return;
    try {
      this.id = this.hub.client.createPort(this.name);
      this.failed = false;
      this.hub.add(this);
      this.refresh();
    } catch (err) {
      this.hub.fail(this.hub.client, err as Error);
    }
  }

  /** Stops I/O, destroys the device (an app holding it sees it vanish) and removes the link. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    this.hub.remove(this);
    try {
      // A driver that went away took its ports with it.
      if (!this.failed && this.hub.up) this.hub.client.destroyPort(this.id);
    } finally {
      removeLink(this.link, this.path);
    }
  }

  /** Re-reads the port's state and reports what changed: the lines first, then the app's open/close. */
  private refresh(): void {
    const before = this.state;
    const after = this.hub.client.portState(this.id);
    this.state = after;
    const opened = !before.active && after.active;
    const closedNow = before.active && !after.active;
    if (opened) this.emit('client', true);
    if (before.rts !== after.rts || before.dtr !== after.dtr)
      this.emit('lines', { rts: after.rts, dtr: after.dtr });
    if (closedNow) {
      this.dropBacklog();
      this.emit('client', false);
    }
  }

  /**
   * Reads what the app wrote. Bounded: a short read means the ring is empty; after MAX_DRAIN_READS full
   * ones the rest waits for the next event loop turn. A read longer than asked for is a broken client,
   * never data (issue 16: an empty answer once came back as the whole buffer).
   */
  private drain(): void {
    for (let reads = 0; reads < MAX_DRAIN_READS; reads++) {
      const bytes = this.hub.client.read(this.id, MAX_IO);
      if (bytes.length > MAX_IO)
        throw new Error(`the dext returned ${bytes.length} bytes for a ${MAX_IO}-byte read`);
      if (bytes.length > 0) {
        this.counters.bytesIn += bytes.length;
        this.emit('data', bytes);
      }
      if (bytes.length < MAX_IO || this.closed || this.failed) return;
    }
    setImmediate(() => this.handle(DextEvent.txData));
  }

  /** Writes the backlog until the ring is full; also runs from a timer, so it never throws. */
  private flush(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.hub.client;
    try {
      this.writeBacklog(client);
    } catch (err) {
      this.hub.fail(client, err as Error);
    }
  }

  private writeBacklog(client: NativeDextClient): void {
    while (this.backlog.length > 0 && !this.closed && !this.failed) {
      const head = this.backlog[0]!;
      const chunk = head.length > MAX_IO ? head.subarray(0, MAX_IO) : head;
      const accepted = client.write(this.id, chunk);
      this.counters.bytesOut += accepted;
      this.backlogBytes -= accepted;
      if (accepted >= head.length) this.backlog.shift();
      else this.backlog[0] = head.subarray(accepted);
      if (accepted < chunk.length) {
        // Back-pressure: the app has not read. RX_SPACE or this timer resumes.
        this.retry = setTimeout(() => this.flush(), RETRY_MS);
        return;
      }
    }
  }

  private dropBacklog(): void {
    this.backlog = [];
    this.backlogBytes = 0;
    clearTimeout(this.retry);
    this.retry = undefined;
  }
}
