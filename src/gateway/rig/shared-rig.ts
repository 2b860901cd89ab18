import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { DEFAULT_STATE, type RigState } from '../../model/rig.js';
import type { Backend, FrequencyRange, ReadOptions } from '../backends/backend.js';
import {
  ALL_FIELDS,
  applyField,
  describeValue,
  type Field,
  type FieldValue,
  readField,
  sameValue,
  sendField,
} from './fields.js';
import { type PortPolicy, PortRig } from './port-rig.js';
import type { PttRecord } from './ptt-record.js';
import { type DropReason, type QueuedWrite, WriteQueue } from './write-queue.js';

export interface SharedRigOptions {
  name: string;
  logger: Logger;
  /** Poll period while a client is attached (DESIGN.md: default 250 ms). */
  pollMs: number;
  /** Poll period while no client is attached. */
  idlePollMs: number;
  /** How long a port's write is held so that a revert within it cancels both (default 150 ms). */
  settleMs: number;
  /** A backend outage shorter than this is ridden out: writes wait for the reconnect instead of failing. */
  graceMs: number;
  /** Where this rig records that it keyed the radio (none for the in-process simulator). */
  pttRecord?: PttRecord;
}

/** A read on its way: when its first and its second request left for the radio (null: not yet). */
interface PendingRead {
  sentAt: number | null;
  restSentAt: number | null;
  promise: Promise<boolean>;
}

function tracking(read: PendingRead): (at: number, index: number) => void {
  return (at, index) => {
    if (index === 0) read.sentAt = at;
    else if (index === 1) read.restSentAt = at;
  };
}

/** One poll of the backend (a 'read' event): how long it took and whether it answered. */
export interface ReadEvent {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface WriteEvent {
  port: string;
  value: FieldValue;
  ok: boolean;
  ms: number;
  error?: string;
}

/**
 * One per backend, shared by every port on it (DESIGN.md "rig/"). Holds the radio's state in a cache
 * that every port reads synchronously, because Hamlib gives a TS-2000 only 200 ms per reply
 * (research/hamlib.md §0.1); a poller keeps it fresh, and writes reach the backend one at a time,
 * in the order the ports released them.
 *
 * Events: 'change' (state), 'write' (WriteEvent), 'read' (ReadEvent), 'ptt' (owner port name or null),
 * 'backend' (connected).
 */
export class SharedRig extends EventEmitter {
  private readonly radio: RigState = { ...DEFAULT_STATE };
  private readonly ports = new Set<PortRig>();
  private attachedClients = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private healthUnkeying = false;
  /** The radio was found keyed at start by someone other than catbridge (status, REST). */
  private foreignPtt = false;
  private closed = false;
  /** Sequence number of the last write handed to the backend queue, per field and overall. */
  private issueSeq = 0;
  private readonly lastIssued = new Map<Field, number>();
  /** Writes on their way to the backend: coalesced per field, unkeys first (write-queue.ts). */
  private readonly queue: WriteQueue<PortRig>;
  private pttOwner: PortRig | null = null;
  private pttOffOnReconnect = false;
  private pttOffRetries = 0;
  private downSince: number | null = null;
  /** When the radio was last lost; cleared by the first successful read after it came back. */
  private lostAt: number | null = null;
  private lastReadAt = 0;
  private lastError: string | null = null;
  private reads = 0;
  private readFailures = 0;
  private lastReadMs: number | null = null;
  private writes = 0;
  private writeFailures = 0;
  private connections = 0;
  /** The poll in flight, and when its first request left (null: not yet). */
  private pendingRefresh: PendingRead | null = null;
  /** The urgent read a freshly opened port waits for, when one is in flight. */
  private pendingFresh: PendingRead | null = null;
  /** An urgent `v` completing pendingFresh for a port opened just after its `v` left. */
  private pendingVfo: PendingRead | null = null;
  /** When the last successful read was sent: what a port opened later may still trust. */
  private lastGoodReadStart = Number.NEGATIVE_INFINITY;
  /** When the read whose values are in the cache was sent. */
  private appliedReadStart = Number.NEGATIVE_INFINITY;
  private known = false;

  constructor(
    readonly backend: Backend,
    readonly options: SharedRigOptions,
  ) {
    super();
    this.setMaxListeners(0);
    this.queue = new WriteQueue<PortRig>({
      send: (value) => this.send(value),
      settled: (write, ok, ms, error) => this.onWriteSettled(write, ok, ms, error),
      dropped: (write, reason) => this.onWriteDropped(write, reason),
    });
    backend.on('connected', () => this.onBackendConnected());
    backend.on('disconnected', (err) => this.onBackendDisconnected(err));
  }

  get name(): string {
    return this.options.name;
  }

  /** Connects the backend (in the background: the gateway serves from the cache meanwhile) and starts polling. */
  start(): void {
    if (!this.backend.connected) this.downSince = Date.now();
    this.healthTimer = setInterval(() => this.checkPttHealth(), 250);
    this.healthTimer.unref();
    this.backend.connect().catch((err: Error) => {
      this.lastError = err.message;
      this.options.logger.warn(
        { backend: this.name, err: err.message },
        'backend not reachable yet; retrying',
      );
    });
    void this.refresh();
  }

  /**
   * Whether the radio has been read at least once. Until then the cache holds only defaults, and a
   * port stays silent like a radio that is switched off rather than report a frequency nobody read.
   */
  get radioKnown(): boolean {
    return this.known;
  }

  /**
   * Whether ports may answer from the cache: the radio was read since it was last lost, or it was lost
   * less than grace_ms ago. After that, reads get the dialect's error until a fresh read.
   */
  get online(): boolean {
    return this.lostAt === null || Date.now() - this.lostAt < this.options.graceMs;
  }

  /**
   * Whether the radio behind can tune `hz`: by the ranges its server reports (rigctld's `\dump_state`),
   * else by `fallback` (the emulated model's, for flrig and the simulator), else anything goes.
   */
  tunable(hz: number, fallback?: readonly FrequencyRange[]): boolean {
    const ranges = this.backend.frequencyRanges?.() ?? fallback ?? null;
    if (ranges === null || ranges.length === 0) return true;
    return ranges.some((range) => hz >= range.fromHz && hz <= range.toHz);
  }

  /** The radio's state as last known (no port's held writes). */
  radioState(): Readonly<RigState> {
    return this.radio;
  }

  status(): {
    connected: boolean;
    lastReadAt: number;
    lastError: string | null;
    reads: number;
    readFailures: number;
    /** Duration of the last successful poll (the backend's round trip for one refresh), ms. */
    lastReadMs: number | null;
    writes: number;
    writeFailures: number;
    /** Successful connections to the backend after the first. */
    reconnects: number;
    pttOwner: string | null;
    /** The radio was found transmitting at start, keyed by someone other than catbridge. */
    foreignPtt: boolean;
  } {
    return {
      connected: this.backend.connected,
      lastReadAt: this.lastReadAt,
      lastError: this.lastError,
      reads: this.reads,
      readFailures: this.readFailures,
      lastReadMs: this.lastReadMs,
      writes: this.writes,
      writeFailures: this.writeFailures,
      reconnects: Math.max(0, this.connections - 1),
      pttOwner: this.pttOwner?.portName ?? null,
      foreignPtt: this.foreignPtt,
    };
  }

  /** A port's handle on this rig. */
  portRig(portName: string, policy: PortPolicy): PortRig {
    const port = new PortRig(this, portName, policy, this.options.settleMs);
    this.ports.add(port);
    return port;
  }

  /**
   * A port's handle is done with (a network client's connection ended, after its close ran): its
   * timers stop and it is forgotten, so clients coming and going do not grow the set.
   */
  dropPortRig(port: PortRig): void {
    this.ports.delete(port);
    // A release still under way keeps its watchdog: the port stays the owner until it settles.
    if (this.pttOwner !== port) port.dispose();
  }

  // ---- clients and polling ----

  /**
   * A client opened a port at `since` (performance.now()): poll at the attached rate, and resolve true
   * once a read of the radio sent at or after `since` has succeeded (false if it failed or the backend
   * is down). The port holds its client's first replies for it (DESIGN.md: a first reply is never
   * built from a cache older than the open).
   */
  clientAttached(since: number = performance.now()): Promise<boolean> {
    this.attachedClients++;
    // From the idle rate to the attached one now, not when the idle timer would next have fired.
    if (this.attachedClients === 1 && !this.pendingRefresh) this.schedulePoll();
    return this.freshRead(since);
  }

  clientDetached(): void {
    this.attachedClients = Math.max(0, this.attachedClients - 1);
  }

  /**
   * Resolves true once a read sent at or after `since` has succeeded; false when such a read failed.
   * Joins the read in flight if it was sent late enough, else starts one right after it. Only what a
   * client's first replies need is read (no meters), so the wait is as short as the backend allows.
   */
  freshRead(since: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.lastGoodReadStart >= since) return Promise.resolve(true);
    if (!this.backend.connected) return this.afterReconnect(since);
    // A read whose first request has not left yet (queued behind the one in flight) sees the radio
    // after this open too: two programs opening together share one read.
    for (const read of [this.pendingFresh, this.pendingRefresh]) {
      if (read && (read.sentAt === null || read.sentAt >= since)) return read.promise;
    }
    // An open's read whose `v` left just before this open, and nothing else yet: the rest of it is
    // after this open, so only the VFO needs asking again (one round trip, not a whole read).
    const inFlight = this.pendingFresh;
    if (inFlight && inFlight.restSentAt === null) {
      const vfo = this.vfoRead(since);
      return Promise.all([inFlight.promise, vfo]).then(([read, selected]) => read && selected);
    }
    // Not behind a poll sent before the open: an urgent read of its own, ahead of the poll's queue.
    // What a first reply needs, in two round trips on rigctld (`v`, `\get_rig_info`): no meters, and
    // no PTT, which the next poll brings (a radio keyed by hand while no program ran is the rare case,
    // and no client's open moves anything on what it reads of PTT).
    const fresh = this.startRead({ meters: false, ptt: false, urgent: true }, (read) => {
      if (this.pendingFresh === read) this.pendingFresh = null;
    });
    this.pendingFresh = fresh;
    return fresh.promise;
  }

  /** Starts a read whose requests report when they leave; `settled` runs once it is over. */
  private startRead(options: ReadOptions, settled: (read: PendingRead) => void): PendingRead {
    const read: PendingRead = { sentAt: null, restSentAt: null, promise: Promise.resolve(false) };
    read.promise = this.pollOnce(performance.now(), { ...options, onSent: tracking(read) }).finally(() =>
      settled(read),
    );
    return read;
  }

  /** `v` alone, urgent, shared by the opens that come before it leaves. */
  private vfoRead(since: number): Promise<boolean> {
    const pending = this.pendingVfo;
    if (pending && (pending.sentAt === null || pending.sentAt >= since)) return pending.promise;
    const read = this.startRead({ meters: false, urgent: true, vfoOnly: true }, (done) => {
      if (this.pendingVfo === done) this.pendingVfo = null;
    });
    this.pendingVfo = read;
    return read.promise;
  }

  /**
   * The backend is down at an open: within grace_ms the port's client waits (its hold drops what it
   * cannot answer in time) for the reconnect and a read after it, never the cache of the lost link;
   * past grace_ms it gets the radio's error at once (false).
   */
  private afterReconnect(since: number): Promise<boolean> {
    const left = this.options.graceMs - (this.downSince === null ? 0 : Date.now() - this.downSince);
    if (left <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.off('backend', onBackend);
        resolve(false);
      }, left);
      const onBackend = (connected: boolean) => {
        if (!connected) return;
        clearTimeout(timer);
        this.off('backend', onBackend);
        // The reconnect's own refresh is sent after `since`; join it, or read.
        setImmediate(() => resolve(this.freshRead(since)));
      };
      this.on('backend', onBackend);
    });
  }

  /** One immediate read from the backend; concurrent callers share it. Never rejects; true if it succeeded. */
  refresh(options: ReadOptions = {}): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.pendingRefresh) {
      this.pendingRefresh = this.startRead(options, (read) => {
        if (this.pendingRefresh === read) this.pendingRefresh = null;
        this.schedulePoll();
      });
    }
    return this.pendingRefresh.promise;
  }

  private schedulePoll(): void {
    if (this.closed) return;
    clearTimeout(this.pollTimer);
    const period = this.attachedClients > 0 ? this.options.pollMs : this.options.idlePollMs;
    this.pollTimer = setTimeout(() => void this.refresh(), period);
    this.pollTimer.unref();
  }

  private async pollOnce(started: number, options: ReadOptions): Promise<boolean> {
    if (!this.backend.connected) return false;
    const startSeq = this.issueSeq;
    let fresh: RigState;
    try {
      fresh = await this.backend.read(options);
    } catch (err) {
      this.readFailures++;
      this.lastError = (err as Error).message;
      // A server that is up but cannot read its radio is as good as gone for the clients.
      this.lostAt ??= Date.now();
      this.options.logger.debug({ backend: this.name, err: this.lastError }, 'poll failed');
      this.emit('read', { ok: false, ms: performance.now() - started, error: this.lastError });
      return false;
    }
    this.reads++;
    if (options.vfoOnly) return this.applyVfoOnly(fresh, startSeq);
    this.lastGoodReadStart = Math.max(this.lastGoodReadStart, started);
    this.lastReadMs = performance.now() - started;
    this.emit('read', { ok: true, ms: this.lastReadMs });
    if (!this.known) this.checkLeftKeyed(fresh);
    if (!fresh.ptt) this.foreignPtt = false;
    if (!fresh.ptt && !this.pttOwner && !this.queue.outstanding('ptt')) this.options.pttRecord?.clear();
    this.known = true;
    this.lostAt = null;
    this.lastReadAt = Date.now();
    // A poll overtaken by a later-sent read (an open's urgent read) holds older news: drop it.
    if (started < this.appliedReadStart) return true;
    this.appliedReadStart = started;
    let changed = false;
    for (const field of ALL_FIELDS) {
      // A write issued after this poll was sent, or still unanswered, is newer than what the poll saw.
      if ((this.lastIssued.get(field) ?? 0) > startSeq || this.queue.outstanding(field)) continue;
      const value = readField(fresh, field);
      if (!sameValue(value, readField(this.radio, field))) {
        applyField(this.radio, value);
        changed = true;
        // The radio unkeyed by itself (its own timeout, the operator): nobody holds PTT any more.
        if (value.field === 'ptt' && !value.on && this.pttOwner) this.setPttOwner(null);
      }
    }
    if (this.radio.strengthDb !== fresh.strengthDb) {
      this.radio.strengthDb = fresh.strengthDb;
      changed = true;
    }
    if (changed) this.emit('change', this.radio);
    return true;
  }

  /** A `v`-only read: the RX VFO is all it knows. */
  private applyVfoOnly(fresh: RigState, startSeq: number): boolean {
    if ((this.lastIssued.get('vfo') ?? 0) > startSeq || this.queue.outstanding('vfo')) return true;
    if (fresh.vfo !== this.radio.vfo) {
      this.radio.vfo = fresh.vfo;
      this.emit('change', this.radio);
    }
    return true;
  }

  /**
   * The first read after start: a radio found keyed is either one a previous catbridge left keyed
   * (its record says so: SIGKILL, power cut) and is unkeyed now, or one keyed by someone else, which
   * is said loudly and left alone.
   */
  private checkLeftKeyed(fresh: RigState): void {
    const record = this.options.pttRecord;
    const previous = record?.read() ?? null;
    const leftByOther = previous !== null && previous.pid !== process.pid;
    if (!fresh.ptt) {
      if (leftByOther) record?.clear(true);
      return;
    }
    if (leftByOther) {
      this.options.logger.warn(
        { backend: this.name, previous },
        'the radio is still keyed by a catbridge that stopped without releasing it: unkeying',
      );
      const port = [...this.ports][0];
      if (port)
        void this.queue.enqueue({ field: 'ptt', on: false }, port).then((ok) => {
          if (ok) record?.clear(true);
        });
      return;
    }
    this.foreignPtt = true;
    this.options.logger.error(
      { backend: this.name, address: this.backend.address },
      'the radio is transmitting and catbridge did not key it: leaving it alone',
    );
  }

  // ---- writes ----

  /** Whether writes can be accepted now: the backend is up, or down for less than the grace period. */
  canWrite(): boolean {
    if (this.closed) return false;
    if (this.backend.connected || this.downSince === null) return true;
    return Date.now() - this.downSince < this.options.graceMs;
  }

  /**
   * Puts a port's released write into the cache at once (optimistic: every port now reads it) and
   * queues it for the backend behind every write released before it. Resolves true when the backend
   * confirmed it. `precondition` is checked when its turn comes (PTT-on waits for its port's writes).
   */
  issue(port: PortRig, value: FieldValue, precondition?: () => boolean): Promise<boolean> {
    const field = value.field;
    this.lastIssued.set(field, ++this.issueSeq);
    if (!sameValue(value, readField(this.radio, field))) {
      applyField(this.radio, value);
      this.emit('change', this.radio);
    }
    if (value.field === 'ptt' && value.on && this.options.pttRecord) {
      // On disk before the radio hears it: a SIGKILL right after must still leave the record.
      const failed = this.options.pttRecord.keyed(port.portName);
      if (failed)
        this.options.logger.error(
          { backend: this.name, file: this.options.pttRecord.path, err: failed.message },
          'cannot record the keyed radio; a crash now would leave it keyed unnoticed at restart',
        );
    }
    return this.queue.enqueue(value, port, precondition);
  }

  /** The queue's send: waits out a short outage (grace), then one backend call. */
  private async send(value: FieldValue): Promise<void> {
    await this.waitForBackend();
    await sendField(this.backend, value);
  }

  private onWriteSettled(write: QueuedWrite<PortRig>, ok: boolean, ms: number, error?: Error): void {
    const port = write.origin;
    const value = write.value;
    this.writes++;
    if (ok) {
      if (value.field === 'ptt' && !value.on) {
        this.pttOffRetries = 0;
        this.pttOffOnReconnect = false;
        this.options.pttRecord?.clear();
      }
      this.emit('write', { port: port.portName, value, ok: true, ms });
      return;
    }
    const message = error?.message ?? 'write failed';
    this.lastError = message;
    this.writeFailures++;
    port.noteFailure();
    this.options.logger.warn(
      { backend: this.name, port: port.portName, write: describeValue(value), err: message },
      'write failed; reconciling from the backend',
    );
    this.emit('write', { port: port.portName, value, ok: false, ms, error: message });
    if (value.field === 'ptt' && value.on) this.onPttOnFailed(port);
    if (value.field === 'ptt' && !value.on) this.onPttOffFailed(port);
    void this.refresh();
  }

  private onWriteDropped(write: QueuedWrite<PortRig>, reason: DropReason): void {
    this.options.logger.info(
      { backend: this.name, port: write.origin.portName, write: describeValue(write.value), reason },
      'write dropped before it reached the radio',
    );
    if (write.value.field === 'ptt' && write.value.on) this.onPttOnFailed(write.origin);
    else void this.refresh();
  }

  /** Waits for the backend to come back, no longer than the rest of the grace period. */
  private async waitForBackend(): Promise<void> {
    if (this.backend.connected) return;
    const deadline = (this.downSince ?? Date.now()) + this.options.graceMs;
    while (!this.backend.connected && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('backend not connected');
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 50)));
    }
  }

  // ---- PTT ownership (one port transmits at a time) ----

  get pttHolder(): PortRig | null {
    return this.pttOwner;
  }

  setPttOwner(port: PortRig | null): void {
    if (this.pttOwner === port) return;
    this.pttOwner?.stopWatchdog();
    this.pttOwner = port;
    this.emit('ptt', port?.portName ?? null);
  }

  private onPttOnFailed(port: PortRig): void {
    if (this.pttOwner === port) this.setPttOwner(null);
    if (this.radio.ptt) {
      this.radio.ptt = false;
      this.emit('change', this.radio);
    }
  }

  /**
   * An unkey that did not reach the radio must not be forgotten: it is sent again after the next
   * reconnect, and retried a few times meanwhile if the link is still up (a refused or timed-out call).
   */
  private onPttOffFailed(port: PortRig): void {
    this.pttOffOnReconnect = true;
    if (this.closed || this.pttOffRetries >= 3) return;
    this.pttOffRetries++;
    setTimeout(() => {
      if (this.backend.connected && !this.pttOwner) void this.issue(port, { field: 'ptt', on: false });
    }, 300).unref();
  }

  /** Unkeys the radio whoever holds it (shutdown, emergency release). Resolves when the backend confirmed. */
  async releasePtt(reason: string): Promise<boolean> {
    const owner = this.pttOwner;
    if (!owner && !this.radio.ptt) return true;
    this.options.logger.warn({ backend: this.name, port: owner?.portName, reason }, 'releasing PTT');
    this.setPttOwner(null);
    const anyPort = owner ?? [...this.ports][0];
    if (!anyPort) return false;
    return this.issue(anyPort, { field: 'ptt', on: false });
  }

  /**
   * PTT follows the link's health, not only its socket: a radio that cannot be read for longer than
   * grace_ms (rigctld up but its radio silent, malformed answers, flrig answering nothing) while we
   * may have it keyed is unkeyed at once and again every check until it confirms; only then is the
   * owner cleared. With the socket down the unkey is the first thing sent after the reconnect.
   */
  private checkPttHealth(): void {
    if (this.closed || this.healthUnkeying) return;
    const keyed = this.pttOwner !== null || this.radio.ptt;
    if (!keyed || this.lostAt === null || Date.now() - this.lostAt < this.options.graceMs) return;
    if (!this.backend.connected) {
      this.pttOffOnReconnect = true;
      return;
    }
    const port = this.pttOwner ?? [...this.ports][0];
    if (!port) return;
    this.healthUnkeying = true;
    this.options.logger.warn(
      { backend: this.name, port: this.pttOwner?.portName, since: new Date(this.lostAt).toISOString() },
      'radio unreadable past grace_ms while keyed: unkeying',
    );
    void this.queue.enqueue({ field: 'ptt', on: false }, port).then((ok) => {
      this.healthUnkeying = false;
      if (!ok) return;
      this.setPttOwner(null);
      if (this.radio.ptt) {
        this.radio.ptt = false;
        this.emit('change', this.radio);
      }
    });
  }

  // ---- backend comings and goings ----

  private onBackendConnected(): void {
    this.connections++;
    this.downSince = null;
    this.lastError = null;
    this.emit('backend', true);
    this.options.logger.info({ backend: this.name, address: this.backend.address }, 'backend connected');
    if (this.pttOffOnReconnect) {
      // The link died while we were keyed: the first thing the radio hears from us is "unkey".
      this.pttOffOnReconnect = false;
      const anyPort = [...this.ports][0];
      if (anyPort) void this.issue(anyPort, { field: 'ptt', on: false });
    }
    void this.refresh();
  }

  private onBackendDisconnected(err?: Error): void {
    if (this.closed) return; // our own shutdown closed it
    if (this.downSince === null) this.downSince = Date.now();
    this.lostAt ??= Date.now();
    if (err) this.lastError = err.message;
    this.emit('backend', false);
    this.options.logger.warn({ backend: this.name, err: err?.message }, 'backend disconnected');
    if (this.radio.ptt || this.pttOwner) {
      this.pttOffOnReconnect = true;
      this.setPttOwner(null);
      this.radio.ptt = false;
      this.emit('change', this.radio);
    }
  }

  /**
   * Stops the rig: every port's held writes are flushed, and the unkey goes to the backend first, ahead
   * of all of them (write-queue.ts); the unkey is waited for (and tried again once if it failed), then
   * whatever else is queued, all within `timeoutMs`; then the backend is closed.
   */
  async close(timeoutMs = 1500): Promise<void> {
    if (this.closed) return;
    const deadline = performance.now() + timeoutMs;
    const left = () => Math.max(0, deadline - performance.now());
    const within = <T>(promise: Promise<T>, fallback: T): Promise<T> =>
      Promise.race([
        promise,
        new Promise<T>((resolve) => setTimeout(() => resolve(fallback), left()).unref()),
      ]);
    const keyed = this.radio.ptt || this.pttOwner !== null;
    for (const port of this.ports) port.flush();
    const released = this.releasePtt('shutdown');
    this.closed = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.healthTimer);
    let unkeyed = await within(released, false);
    const anyPort = [...this.ports][0];
    if (keyed && !unkeyed && anyPort && left() > 0 && this.backend.connected) {
      unkeyed = await within(this.queue.enqueue({ field: 'ptt', on: false }, anyPort), false);
    }
    if (keyed)
      this.options.logger[unkeyed ? 'info' : 'error'](
        { backend: this.name },
        unkeyed ? 'radio unkeyed at shutdown' : 'could not confirm the unkey at shutdown',
      );
    await within(this.queue.drained(), undefined);
    this.queue.stop();
    for (const port of this.ports) port.dispose();
    await this.backend.close();
  }
}
