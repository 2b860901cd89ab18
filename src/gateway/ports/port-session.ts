import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Emulator, FrameEvent } from '../../rigs/emulator.js';
import type { PortRig } from '../rig/port-rig.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { monotonicMs } from './pty-native.js';
import type { VirtualPort } from './virtual-port.js';

/** How long a freshly opened port's first replies may wait for the cache refresh (DESIGN.md: under Hamlib's 200 ms). */
export const FIRST_REPLY_WAIT_MS = 100;
/** Bytes a client may send while its port waits for that refresh; more is dropped (bounded memory). */
const MAX_WAITING_BYTES = 4096;

export interface PortStats {
  commands: number;
  unknownCommands: number;
  errors: number;
  lastCommandAt: string | null;
  /** Bytes ignored because the radio behind the port has never been reached (a switched-off radio is silent). */
  silencedBytes: number;
  /** Partial fixed-length frames dropped at an inter-byte gap (Yaesu 5-byte CAT resynchronisation). */
  resyncs: number;
}

/**
 * One configured port at run time: its virtual serial port, its emulator and its handle on the
 * shared rig, and the client's comings and goings. Events: 'frame' (FrameEvent), 'client' (open),
 * 'roundTrip' (ms from the client's bytes being read to the replies being written, per chunk that held
 * at least one complete command; only when the port reports read times).
 */
export class PortSession extends EventEmitter {
  readonly stats: PortStats = {
    commands: 0,
    unknownCommands: 0,
    errors: 0,
    lastCommandAt: null,
    silencedBytes: 0,
    resyncs: 0,
  };
  // Chunks held while the first refresh runs keep their read time, so gap-framed protocols still see
  // the gaps the client left between bytes rather than the moment the chunks are released.
  private waiting: { bytes: Uint8Array; readAtMs?: number }[] | null = null;
  private waitingBytes = 0;
  private attached = false;
  private readonly emulator: Emulator;

  constructor(
    readonly name: string,
    readonly port: VirtualPort,
    readonly rig: PortRig,
    private readonly shared: SharedRig,
    makeEmulator: (write: (bytes: Uint8Array) => void, onFrame: (e: FrameEvent) => void) => Emulator,
    private readonly logger: Logger,
  ) {
    super();
    this.emulator = makeEmulator(
      (bytes) => this.port.write(bytes),
      (event) => this.onFrame(event),
    );
    port.on('data', (bytes, readAtMs) => this.onData(bytes, readAtMs));
    port.on('client', (open) => this.onClient(open));
    port.on('error', (err) => logger.error({ port: name, err: err.message }, 'port error'));
    shared.on('change', this.onRigChange);
  }

  private readonly onRigChange = (): void => {
    this.emulator.stateChanged();
  };

  private onData(bytes: Uint8Array, readAtMs?: number): void {
    if (this.waiting) {
      if (this.waitingBytes + bytes.length <= MAX_WAITING_BYTES) {
        this.waiting.push({ bytes, readAtMs });
        this.waitingBytes += bytes.length;
      }
      return;
    }
    this.deliver(bytes, readAtMs);
  }

  private deliver(bytes: Uint8Array, readAtMs?: number): void {
    if (!this.shared.radioKnown) {
      this.stats.silencedBytes += bytes.length;
      return;
    }
    const before = this.stats.commands;
    this.emulator.receive(bytes, readAtMs);
    if (readAtMs !== undefined && this.stats.commands !== before) {
      this.emit('roundTrip', monotonicMs() - readAtMs);
    }
  }

  private onClient(open: boolean): void {
    this.logger.info(
      { port: this.name, link: this.port.link },
      open ? 'client opened the port' : 'client closed the port',
    );
    if (open === this.attached) return;
    this.attached = open;
    if (open) {
      // Nobody reads (and then "restores") a stale frequency: hold the first replies until the cache is
      // fresh, but never past FIRST_REPLY_WAIT_MS.
      this.waiting = [];
      this.waitingBytes = 0;
      const release = () => this.releaseWaiting();
      const timer = setTimeout(release, FIRST_REPLY_WAIT_MS);
      void this.shared.clientAttached().then(() => {
        clearTimeout(timer);
        release();
      });
    } else {
      this.releaseWaiting();
      this.shared.clientDetached();
      this.rig.clientClosed();
      this.emulator.reset();
    }
    this.emit('client', open);
  }

  private releaseWaiting(): void {
    const chunks = this.waiting;
    if (!chunks) return;
    this.waiting = null;
    for (const chunk of chunks) this.deliver(chunk.bytes, chunk.readAtMs);
  }

  private onFrame(event: FrameEvent): void {
    // A resync is bytes dropped, not a command.
    if (event.kind !== 'resync') this.stats.commands++;
    this.stats.lastCommandAt = new Date().toISOString();
    if (event.kind === 'unknown') this.stats.unknownCommands++;
    if (event.kind === 'malformed' || event.kind === 'overflow' || event.kind === 'unavailable')
      this.stats.errors++;
    if (event.kind === 'resync') this.stats.resyncs++;
    if (event.kind !== 'query' && event.kind !== 'set') {
      this.logger.debug({
        port: this.name,
        kind: event.kind,
        request: Buffer.from(event.request).toString('latin1'),
      });
    }
    this.emit('frame', event);
  }

  async close(): Promise<void> {
    this.shared.off('change', this.onRigChange);
    this.rig.clientClosed();
    await this.port.close();
  }
}
