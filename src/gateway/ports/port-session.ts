import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ReadGroup, Rig } from '../../model/rig.js';
import type { Emulator, FrameEvent } from '../../rigs/emulator.js';
import type { PortRig } from '../rig/port-rig.js';
import { ProbeRig } from '../rig/probe-rig.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { monotonicMs } from './pty-native.js';
import type { VirtualPort } from './virtual-port.js';

/**
 * How long a freshly opened port's first replies may wait for a fresh read when its profile does not
 * say: the tightest Hamlib timeout of the emulated models (TS-2000, FT-857: 200 ms) less 50 ms.
 */
export const DEFAULT_FIRST_REPLY_WAIT_MS = 150;
/** Bytes a client may send while its port waits for that read; more is dropped (bounded memory). */
const MAX_WAITING_BYTES = 4096;

/**
 * A client's bytes held until the radio has been read: since the open (the open rule, DESIGN.md), or,
 * for bytes that read a part of the radio nobody has polled lately, recently enough (Demand.maxAgeMs).
 */
interface Hold {
  kind: 'open' | 'stale';
  /** When the client opened, or when the stale read came (performance.now()). */
  since: number;
  /** Parts the held bytes read beyond what every open reads (open), or that were stale (stale). */
  groups: Set<ReadGroup>;
  /** Bumped at each new wait, so that only the latest wait's answer counts. */
  generation: number;
  chunks: { bytes: Uint8Array; readAtMs?: number; heldAt: number }[];
  bytes: number;
  timer: NodeJS.Timeout | undefined;
  /** The client closed while held: deliver what it sent once fresh, then run the close. */
  closing: boolean;
}

export interface PortSessionEvents {
  frame: [event: FrameEvent];
  /** A client opened (true) or closed (false) the port. */
  client: [open: boolean];
  /** ms from the client's bytes being read to the replies being written (ports reporting read times). */
  roundTrip: [ms: number];
}

export interface PortStats {
  commands: number;
  unknownCommands: number;
  errors: number;
  lastCommandAt: string | null;
  /** Bytes ignored because the radio behind the port has never been reached (a switched-off radio is silent). */
  silencedBytes: number;
  /** Partial fixed-length frames dropped at an inter-byte gap (Yaesu 5-byte CAT resynchronisation). */
  resyncs: number;
  /**
   * Bytes left unanswered because the radio could not be read within the client's timeout after it
   * opened the port: silence (the client retries) rather than an answer older than the open.
   */
  unansweredAtOpen: number;
  /** Worst wait of a held first reply for a fresh read after an open, ms (null before the first open). */
  worstFirstReplyWaitMs: number | null;
  /** Chunks held because they read a part of the radio too old to answer from (not polled lately). */
  staleHolds: number;
  /** Bytes of such chunks left unanswered because the fresh read did not come within the client's timeout. */
  unansweredStale: number;
}

/**
 * One configured port at run time: its virtual serial port, its emulator and its handle on the
 * shared rig, and the client's comings and goings. Events: 'frame' (FrameEvent), 'client' (open),
 * 'roundTrip' (ms from the client's bytes being read to the replies being written, per chunk that held
 * at least one complete command; only when the port reports read times).
 */
export class PortSession extends EventEmitter<PortSessionEvents> {
  readonly stats: PortStats = {
    commands: 0,
    unknownCommands: 0,
    errors: 0,
    lastCommandAt: null,
    silencedBytes: 0,
    resyncs: 0,
    unansweredAtOpen: 0,
    worstFirstReplyWaitMs: null,
    staleHolds: 0,
    unansweredStale: 0,
  };
  // Chunks held while the first read runs keep their read time, so gap-framed protocols still see
  // the gaps the client left between bytes rather than the moment the chunks are released.
  private hold: Hold | null = null;
  private attached = false;
  private readonly emulator: Emulator;
  /** The same emulator on a ProbeRig, fed the same bytes first: what the next bytes will read. */
  private readonly shadow: Emulator;
  private readonly probe: ProbeRig;

  constructor(
    readonly name: string,
    readonly port: VirtualPort,
    readonly rig: PortRig,
    private readonly shared: SharedRig,
    makeEmulator: (
      rig: Rig,
      write: (bytes: Uint8Array) => void,
      onFrame: (e: FrameEvent) => void,
    ) => Emulator,
    private readonly logger: Logger,
    /** How long a first reply may wait for a fresh read: the client's Hamlib timeout less 50 ms. */
    private readonly firstReplyWaitMs = DEFAULT_FIRST_REPLY_WAIT_MS,
  ) {
    super();
    // No client yet: what the emulators read while they are made is nobody's demand.
    rig.setAttached(false);
    this.probe = new ProbeRig(rig);
    this.shadow = makeEmulator(
      this.probe,
      () => {},
      () => {},
    );
    this.emulator = makeEmulator(
      rig,
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
    // A fast client can write before its open is seen: bytes with nobody attached are an open.
    if (!this.attached) this.onClient(true);
    const now = performance.now();
    const reads = this.reads(bytes, readAtMs);
    let hold = this.hold;
    if (!hold) {
      const stale = this.shared.staleGroups(reads, now);
      for (const group of this.rig.heldGroups()) stale.delete(group);
      if (stale.size === 0) {
        this.deliver(bytes, readAtMs);
        return;
      }
      this.stats.staleHolds++;
      hold = this.startHold('stale', now, stale);
    } else {
      // Bytes that arrive while held may read more than the hold waits for: it waits for that too.
      const more =
        hold.kind === 'open'
          ? this.shared.unreadSince(reads, hold.since)
          : this.shared.staleGroups(reads, now);
      const added = [...more].filter((group) => !hold!.groups.has(group));
      if (added.length > 0) {
        for (const group of added) hold.groups.add(group);
        this.waitHold(hold);
      }
    }
    // An unkey never waits behind a read: the radio goes to RX now, not after a fresh read that may be
    // slower than the client's timeout (the held bytes would then be dropped, the unkey with them).
    // The emulator meets the same unkey again when the bytes are delivered; an extra unkey is harmless.
    if (this.probe.unkeyed && this.shared.pttHolder === this.rig) this.rig.setPtt(false);
    if (hold.bytes + bytes.length <= MAX_WAITING_BYTES) {
      hold.chunks.push({ bytes, readAtMs, heldAt: now });
      hold.bytes += bytes.length;
      this.armHoldTimer(hold);
    }
  }

  /** The parts of the radio these bytes will read, learnt by running them through the shadow emulator. */
  private reads(bytes: Uint8Array, readAtMs?: number): Set<ReadGroup> {
    this.probe.touched.clear();
    this.probe.unkeyed = false;
    this.shadow.receive(bytes, readAtMs);
    return new Set(this.probe.touched);
  }

  private deliver(bytes: Uint8Array, readAtMs?: number): void {
    if (!this.shared.radioKnown && !this.emulator.answersWhileRadioUnknown) {
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
    if (open === this.attached) return;
    this.logger.info(
      { port: this.name, link: this.port.link },
      open ? 'client opened the port' : 'client closed the port',
    );
    this.attached = open;
    if (open) {
      // A close still waiting on its read ends now, so the new client starts clean.
      if (this.hold?.closing) this.endHold(this.hold);
      this.rig.setAttached(true);
      this.startHold('open', performance.now(), new Set());
    } else if (this.hold && this.hold.chunks.length > 0) {
      // PTT goes at once; the bytes it sent wait (bounded by the hold timer) for the radio's state.
      this.hold.closing = true;
      this.rig.setAttached(false);
      this.rig.releaseIfOwner();
    } else {
      if (this.hold) this.endHold(this.hold);
      this.detach();
    }
    this.emit('client', open);
  }

  /**
   * The open rule (DESIGN.md): the client's bytes wait until a read of the radio sent after the open
   * has come back, so its first replies — and any probe it builds on them — see the radio as it is now,
   * not as it was when the last client left (the knob may have been turned since).
   */
  private startHold(kind: Hold['kind'], since: number, groups: Set<ReadGroup>): Hold {
    const hold: Hold = {
      kind,
      since,
      groups,
      generation: 0,
      chunks: [],
      bytes: 0,
      timer: undefined,
      closing: false,
    };
    this.hold = hold;
    this.rig.pauseSettle(true);
    if (kind === 'open') this.shared.clientAttached();
    this.waitHold(hold);
    return hold;
  }

  /** Reads what the hold waits for (joining reads already on their way). */
  private waitHold(hold: Hold): void {
    const generation = ++hold.generation;
    const reads =
      hold.kind === 'open'
        ? [this.shared.freshRead(hold.since), this.shared.freshRead(hold.since, hold.groups)]
        : [this.shared.freshen(hold.groups, hold.since)];
    void Promise.all(reads).then((done) => {
      if (hold.generation === generation) this.onFreshRead(hold, done.every(Boolean));
    });
  }

  /**
   * A read after the open came back (fresh), or failed. A failure within grace_ms is not a reason to
   * answer from the cache of before the open: try again (the hold timer keeps the client's wait
   * bounded); past grace_ms the radio's error is the answer, as for every client.
   */
  private onFreshRead(hold: Hold, fresh: boolean): void {
    if (this.hold !== hold) return;
    // A network client waits for every answer: with a radio never reached, the read that failed is
    // the answer (its protocol's error), not a wait that ends in dropped bytes.
    const unknownAnswered = !this.shared.radioKnown && this.emulator.answersWhileRadioUnknown;
    if (fresh || !this.shared.online || hold.closing || unknownAnswered) {
      this.endHold(hold);
      return;
    }
    setTimeout(() => {
      if (this.hold === hold) this.waitHold(hold);
    }, 50).unref();
  }

  /**
   * A held chunk past the client's timeout is never answered from the old cache: the bytes held so far
   * are dropped unanswered (the client times out and retries, and the retry gets a fresh answer) and
   * the half frame they may leave is forgotten; the client's protocol settings stay. A closing client's
   * bytes are delivered instead (its writes still count; nobody reads the replies).
   */
  private armHoldTimer(hold: Hold): void {
    if (hold.timer || hold.chunks.length === 0) return;
    const wait = Math.max(0, hold.chunks[0]!.heldAt + this.firstReplyWaitMs - performance.now());
    hold.timer = setTimeout(() => {
      hold.timer = undefined;
      if (this.hold !== hold) return;
      if (hold.closing) {
        this.endHold(hold);
        return;
      }
      if (hold.kind === 'open') {
        this.stats.unansweredAtOpen += hold.bytes;
        this.rig.noteMissedAtOpen();
      } else {
        this.stats.unansweredStale += hold.bytes;
      }
      this.logger.debug(
        { port: this.name, bytes: hold.bytes, waitMs: this.firstReplyWaitMs, hold: hold.kind },
        'radio not read within the client timeout; left unanswered',
      );
      hold.chunks = [];
      hold.bytes = 0;
      // The client is still there: only its half-read frame goes, never what it has set up (a reset
      // here forgot a rigctld connection's VFO mode, a Kenwood client's AI2, a K3 client's K31). The
      // shadow has seen the dropped bytes and may keep a setting they made that the emulator never got;
      // it only decides which parts of the radio the next bytes read, and the client resends them.
      this.emulator.dropInput();
      this.shadow.dropInput();
    }, wait);
  }

  private endHold(hold: Hold): void {
    clearTimeout(hold.timer);
    this.hold = null;
    this.rig.pauseSettle(false);
    const first = hold.chunks[0];
    if (first && hold.kind === 'open') {
      const waited = performance.now() - first.heldAt;
      this.stats.worstFirstReplyWaitMs = Math.max(this.stats.worstFirstReplyWaitMs ?? 0, waited);
    }
    for (const chunk of hold.chunks) this.deliver(chunk.bytes, chunk.readAtMs);
    if (hold.closing) this.detach();
  }

  /** The client is gone: its last intentions reach the radio, its PTT and half frames do not stay. */
  private detach(): void {
    this.shared.clientDetached();
    this.rig.clientClosed();
    this.emulator.reset();
    this.shadow.reset();
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
    if (this.hold) {
      clearTimeout(this.hold.timer);
      this.hold = null;
    }
    this.rig.clientClosed();
    await this.port.close();
  }
}
