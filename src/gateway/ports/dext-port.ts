/**
 * A VirtualPort on the catbridge DriverKit extension (macOS): a real serial device,
 * /dev/cu.catbridge-<name>, that appears in every program's port list and has modem lines. The dext
 * and its user-client protocol are in dext/ (dext/PROTOCOL.md); the native side is
 * native/src/dext_client.cc. This class adds what the protocol leaves to the client: draining the app's
 * bytes on TX_DATA, holding back what the ring cannot take (back-pressure) until RX_SPACE or a retry,
 * following the app's opens and closes, and reporting RTS/DTR so a port can key PTT from them.
 *
 * One DextHub (one user-client connection, one doorbell) serves every DextPort of the process.
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
  /** Arms the doorbell; onDoorbell runs from the event loop after events were raised. */
  start(onDoorbell: () => void): void;
  /** The /dev/cu.* the kernel created for this name, or null if it is not (yet) there. */
  calloutPath(name: string): string | null;
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
/** Bytes kept for an app that is not reading; beyond this they are dropped and counted (as PtyPort). */
const MAX_BACKLOG = 64 * 1024;
/** RxFreeSpaceAvailable is a hint, not a promise (research/dext.md §5.3): retry a blocked write. */
const RETRY_MS = 20;
/** In case a doorbell completion is lost: fetch events and re-read every port's state. */
const WATCHDOG_MS = 250;

/** One user-client connection shared by every DextPort; routes doorbell events to ports by id. */
export class DextHub {
  private static shared: DextHub | undefined;
  private readonly ports = new Map<number, DextPort>();
  private watchdog: NodeJS.Timeout | undefined;
  private started = false;

  constructor(readonly client: NativeDextClient) {}

  /** The process's hub on the native addon (macOS with the dext active); created on first use. */
  static default(): DextHub {
    if (!DextHub.shared) {
      const addon = loadAddon() as unknown as { DextClient?: new () => NativeDextClient };
      if (!addon.DextClient) throw new Error('the dext transport needs macOS (this addon has no DextClient)');
      DextHub.shared = new DextHub(new addon.DextClient());
    }
    return DextHub.shared;
  }

  add(id: number, port: DextPort): void {
    this.ports.set(id, port);
    if (!this.started) {
      this.started = true;
      this.client.start(() => this.ring());
    }
    if (!this.watchdog) {
      this.watchdog = setInterval(() => this.tick(), WATCHDOG_MS);
      this.watchdog.unref();
    }
  }

  remove(id: number): void {
    this.ports.delete(id);
    if (this.ports.size === 0) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  /** The doorbell: fetch once (the dext clears its flag first, so later events ring again). */
  ring(): void {
    let events: { portId: number; bits: number }[];
    try {
      events = this.client.fetchEvents();
    } catch (err) {
      for (const port of this.ports.values()) port.fail(err as Error);
      return;
    }
    for (const { portId, bits } of events) this.ports.get(portId)?.handle(bits);
  }

  private tick(): void {
    this.ring();
    for (const port of this.ports.values()) port.handle(DextEvent.mcr | DextEvent.txData);
  }

  /** Closes the connection: the dext keeps the ports, with every input line dropped. */
  close(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
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

  private constructor(
    readonly name: string,
    readonly link: string,
    readonly path: string,
    private readonly id: number,
    private readonly hub: DextHub,
  ) {
    super();
    this.state = hub.client.portState(id);
  }

  /** Creates (or adopts) /dev/cu.catbridge-<name> in the dext and links it. */
  static async open(options: DextPortOptions): Promise<DextPort> {
    const hub = options.hub ?? DextHub.default();
    const id = hub.client.createPort(options.name);
    const path = hub.client.calloutPath(options.name) ?? `/dev/cu.catbridge-${options.name}`;
    let link: string;
    try {
      link = createLink(options.link ?? defaultLinkPath(options.name), path);
    } catch (err) {
      hub.client.destroyPort(id);
      throw err;
    }
    const port = new DextPort(options.name, link, path, id, hub);
    hub.add(id, port);
    // An app may already hold an adopted port open: report it from a later turn, after listeners attach.
    if (port.state.active) setImmediate(() => port.state.active && !port.closed && port.emit('client', true));
    return port;
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
    if (!this.closed && mask !== 0) this.hub.client.setModemLines(this.id, value, mask);
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
    if (this.closed) return;
    try {
      if (bits & DextEvent.fifoResetRx) this.dropBacklog();
      if (bits & (DextEvent.mcr | DextEvent.line | DextEvent.flow | DextEvent.open | DextEvent.close)) {
        this.refresh();
      }
      if (bits & DextEvent.txData) this.drain();
      if (bits & DextEvent.rxSpace) this.flush();
    } catch (err) {
      this.fail(err as Error);
    }
  }

  /** The connection failed: the port is unusable until the gateway restarts. */
  fail(err: Error): void {
    if (!this.closed) this.emit('error', err);
  }

  /** Stops I/O, destroys the device (an app holding it sees it vanish) and removes the link. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    this.hub.remove(this.id);
    try {
      this.hub.client.destroyPort(this.id);
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

  private drain(): void {
    for (;;) {
      const bytes = this.hub.client.read(this.id, MAX_IO);
      if (bytes.length === 0) return;
      this.counters.bytesIn += bytes.length;
      this.emit('data', bytes);
      if (this.closed) return;
    }
  }

  private flush(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    while (this.backlog.length > 0 && !this.closed) {
      const head = this.backlog[0]!;
      const chunk = head.length > MAX_IO ? head.subarray(0, MAX_IO) : head;
      const accepted = this.hub.client.write(this.id, chunk);
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
