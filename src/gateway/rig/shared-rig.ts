import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { DEFAULT_STATE, READ_GROUPS, type ReadGroup, type RigState } from '../../model/rig.js';
import type { Backend, FrequencyRange } from '../backends/backend.js';
import { type Clock, systemClock } from './clock.js';
import { Demand } from './demand.js';
import {
  applyField,
  describeValue,
  type Field,
  type FieldValue,
  READ_GROUP,
  readField,
  sameValue,
  sendField,
} from './fields.js';
import { PollScheduler } from './poll-scheduler.js';
import { type PortPolicy, PortRig } from './port-rig.js';
import { PttArbiter } from './ptt-arbiter.js';
import type { PttRecord } from './ptt-record.js';
import { type HealthSnapshot, RigHealth } from './rig-health.js';
import { type DropReason, type QueuedWrite, WriteQueue } from './write-queue.js';

export interface SharedRigOptions {
  name: string;
  logger: Logger;
  /** Poll period while a client is attached (DESIGN.md: default 250 ms). */
  pollMs: number;
  /** How long a port's write is held so that a revert within it cancels both (default 150 ms). */
  settleMs: number;
  /** A backend outage shorter than this is ridden out: writes wait for the reconnect instead of failing. */
  graceMs: number;
  /** Where this rig records that it keyed the radio (none for the in-process simulator). */
  pttRecord?: PttRecord;
  /** The poller's time and timers (tests). */
  clock?: Clock;
}

/** While the radio may be keyed, PTT is read every poll_ms whoever reads it (the PTT health check). */
const KEYED_POLL: ReadonlySet<ReadGroup> = new Set(['ptt']);
const NOTHING: ReadonlySet<ReadGroup> = new Set();

/** A read on its way: its parts, and when the request carrying each left for the radio. */
interface PendingRead {
  groups: ReadonlySet<ReadGroup>;
  sent: Map<ReadGroup, number>;
  promise: Promise<boolean>;
}

/** What a newly opened port's first replies need read after the open (no meters, no PTT: see freshRead). */
const OPEN_READ: readonly ReadGroup[] = ['vfo', 'vfoA', 'vfoB', 'split'];

/** The fields each part of the radio holds (strength is no field: nobody writes it). */
const FIELDS_OF: Record<ReadGroup, readonly Field[]> = {
  vfo: ['vfo'],
  vfoA: ['freqA', 'modeA'],
  vfoB: ['freqB', 'modeB'],
  split: ['split'],
  ptt: ['ptt'],
  rfPower: ['rfPower'],
  strength: [],
};

/** One poll of the backend (a 'read' event): how long it took and whether it answered. */
export interface ReadEvent {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface SharedRigEvents {
  /** The radio's state changed (a read, a write, the radio itself). */
  change: [state: Readonly<RigState>];
  write: [event: WriteEvent];
  read: [event: ReadEvent];
  /** The port holding PTT, or null. */
  ptt: [owner: string | null];
  /** The link to the backend came up (true) or went (false). */
  backend: [connected: boolean];
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
 * Events: SharedRigEvents.
 */
export class SharedRig extends EventEmitter<SharedRigEvents> {
  private readonly radio: RigState = { ...DEFAULT_STATE };
  private readonly ports = new Set<PortRig>();
  private attachedClients = 0;
  /** The radio was found keyed at start by someone other than catbridge (status, REST). */
  private foreignPtt = false;
  private closed = false;
  /** Sequence number of the last write handed to the backend queue, per field and overall. */
  private issueSeq = 0;
  private readonly lastIssued = new Map<Field, number>();
  /** Writes on their way to the backend: coalesced per field, unkeys first (write-queue.ts). */
  private readonly queue: WriteQueue<PortRig>;
  /** Who transmits, and the rules that unkey the radio (ptt-arbiter.ts). */
  private readonly ptt: PttArbiter<PortRig>;
  private downSince: number | null = null;
  /** When the radio was last lost; cleared by the first successful read after it came back. */
  private lostAt: number | null = null;
  /** Who reads which part, and the poller it drives (demand-driven polling). */
  private readonly demand: Demand;
  private readonly health = new RigHealth();
  /** The stops of watch(): a closed rig has no viewers left. */
  private readonly watchers = new Set<() => void>();
  private readonly poller: PollScheduler;
  /** Reads on their way. */
  private readonly pending = new Set<PendingRead>();
  /** Per part: when the request of its last successful read was sent. */
  private readonly readSentAt = new Map<ReadGroup, number>();
  /** Per part: when the read whose value is in the cache was sent (older reads are dropped). */
  private readonly appliedAt = new Map<ReadGroup, number>();
  /** Per part: when a read of it last started, successful or not (the poller's spacing). */
  private readonly polledAt = new Map<ReadGroup, number>();
  /** The first read of PTT since start has been checked for a radio left keyed. */
  private pttChecked = false;
  private known = false;

  constructor(
    readonly backend: Backend,
    readonly options: SharedRigOptions,
  ) {
    super();
    this.setMaxListeners(0);
    this.queue = new WriteQueue<PortRig>(
      {
        send: (value) => this.send(value),
        settled: (write, ok, ms, error) => this.onWriteSettled(write, ok, ms, error),
        dropped: (write, reason) => this.onWriteDropped(write, reason),
      },
      options.clock ?? systemClock,
    );
    this.demand = new Demand({ pollMs: options.pollMs });
    this.poller = new PollScheduler({
      clock: options.clock ?? systemClock,
      demand: this.demand,
      pollMs: options.pollMs,
      read: (groups) => this.startRead(groups, false).promise,
      lastPolled: (group) => this.polledAt.get(group) ?? Number.NEGATIVE_INFINITY,
      forced: () => (this.ptt.owner !== null || this.radio.ptt ? KEYED_POLL : NOTHING),
      // The read lands this long before the reader reads: its usual duration and a margin.
      leadMs: () => Math.min(250, (this.health.typicalReadMs ?? 50) + 50),
    });
    this.ptt = new PttArbiter<PortRig>({
      clock: options.clock ?? systemClock,
      graceMs: options.graceMs,
      radioKeyed: () => this.radio.ptt,
      lostForMs: () => (this.lostAt === null ? null : Date.now() - this.lostAt),
      connected: () => this.backend.connected,
      issueUnkey: (port) => this.issue(port, { field: 'ptt', on: false }),
      sendUnkey: (port) => this.queue.enqueue({ field: 'ptt', on: false }, port),
      anyPort: () => [...this.ports][0],
      markUnkeyed: () => {
        if (!this.radio.ptt) return;
        this.radio.ptt = false;
        this.emit('change', this.radio);
      },
      ownerChanged: (owner) => {
        this.poller.wake();
        this.emit('ptt', owner?.portName ?? null);
      },
      warn: (detail, message) => this.options.logger.warn({ backend: this.name, ...detail }, message),
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
    this.ptt.start();
    this.backend.connect().catch((err: Error) => {
      this.health.lastError = err.message;
      this.options.logger.warn(
        { backend: this.name, err: err.message },
        'backend not reachable yet; retrying',
      );
    });
    this.poller.start();
    void this.refresh();
  }

  /** Whether the link to the backend is up. */
  get connected(): boolean {
    return this.backend.connected;
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

  status(): HealthSnapshot & {
    connected: boolean;
    pttOwner: string | null;
    /** The radio was found transmitting at start, keyed by someone other than catbridge. */
    foreignPtt: boolean;
  } {
    return {
      connected: this.backend.connected,
      ...this.health.snapshot(),
      pttOwner: this.ptt.owner?.portName ?? null,
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
    if (this.pttHolder !== port) port.dispose();
  }

  // ---- clients and polling ----

  /**
   * A client opened a port at `since` (performance.now()): resolves true once a read of what a first
   * reply needs (the RX VFO, both VFOs, split), sent at or after `since`, has succeeded (false if it
   * failed or the backend is down). The port holds its client's first replies for it (DESIGN.md: a
   * first reply is never built from a cache older than the open).
   */
  clientAttached(since: number = performance.now()): Promise<boolean> {
    this.attachedClients++;
    return this.freshRead(since);
  }

  /** The parts among `groups` not read since `since`. */
  unreadSince(groups: Iterable<ReadGroup>, since: number): Set<ReadGroup> {
    const unread = new Set<ReadGroup>();
    for (const group of groups)
      if ((this.readSentAt.get(group) ?? Number.NEGATIVE_INFINITY) < since) unread.add(group);
    return unread;
  }

  clientDetached(): void {
    this.attachedClients = Math.max(0, this.attachedClients - 1);
  }

  /** A client read a part of the radio through `reader` (demand-driven polling). */
  noteRead(reader: object, group: ReadGroup): void {
    if (this.demand.note(reader, group, performance.now())) this.poller.wake();
  }

  /**
   * A viewer of the state (the dashboard, a websocket subscriber) reads the RX VFO, its frequency and
   * mode, and PTT every `periodMs` while it watches, as a client would. Returns its stop.
   */
  watch(periodMs = 1000): () => void {
    const viewer = {};
    if (this.closed) return () => {};
    const read = () => {
      for (const group of ['vfo', this.radio.vfo === 'VFOA' ? 'vfoA' : 'vfoB', 'ptt'] as const)
        this.noteRead(viewer, group);
    };
    read();
    const timer = setInterval(read, periodMs);
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.forgetReader(viewer);
      this.watchers.delete(stop);
    };
    this.watchers.add(stop);
    return stop;
  }

  /** The parts some client reads now, with how many clients read each (status, tests). */
  readers(): Partial<Record<ReadGroup, number>> {
    return this.demand.summary(performance.now());
  }

  /** The reader is gone: its reads no longer make anything polled. */
  forgetReader(reader: object): void {
    this.demand.forget(reader);
  }

  /**
   * The parts among `groups` too old to answer a read of them now (see Demand.maxAgeMs): a port holds
   * its client's bytes until freshen() has read them. None while the radio cannot be read.
   */
  staleGroups(groups: Iterable<ReadGroup>, now = performance.now()): Set<ReadGroup> {
    const stale = new Set<ReadGroup>();
    // An outage within grace_ms is ridden out from the cache (past it, reads get the radio's error).
    if (!this.backend.connected || this.lostAt !== null) return stale;
    for (const group of groups)
      if (now - (this.readSentAt.get(group) ?? Number.NEGATIVE_INFINITY) > this.demand.maxAgeMs(group, now))
        stale.add(group);
    return stale;
  }

  /** Resolves true once each of `groups` has been read within its allowed age of `now`. */
  freshen(groups: Iterable<ReadGroup>, now = performance.now()): Promise<boolean> {
    const since = new Map<ReadGroup, number>();
    for (const group of groups) since.set(group, now - this.demand.maxAgeMs(group, now));
    return this.readSince(since);
  }

  /**
   * Resolves true once a read of `groups` (by default what a first reply needs) sent at or after
   * `since` has succeeded; false when such a read failed. Joins a read that has not sent that part yet
   * or sent it late enough; the rest is read at once, urgently, ahead of any poll not yet sent.
   */
  freshRead(since: number, groups: Iterable<ReadGroup> = OPEN_READ): Promise<boolean> {
    const wanted = new Map<ReadGroup, number>();
    for (const group of groups) wanted.set(group, since);
    return this.readSince(wanted);
  }

  private readSince(since: ReadonlyMap<ReadGroup, number>): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const joined = new Set<Promise<boolean>>();
    const missing = new Set<ReadGroup>();
    for (const [group, at] of since) {
      if ((this.readSentAt.get(group) ?? Number.NEGATIVE_INFINITY) >= at) continue;
      // A read whose request for this part has not left yet, or left after `at`, sees the radio as
      // it is after `at` too: two programs opening together share one read.
      const pending = [...this.pending].find((read) => {
        if (!read.groups.has(group)) return false;
        const sent = read.sent.get(group);
        return sent === undefined || sent >= at;
      });
      if (pending) joined.add(pending.promise);
      else missing.add(group);
    }
    if (missing.size > 0) {
      if (!this.backend.connected) return this.afterReconnect(since);
      joined.add(this.startRead(missing, true).promise);
    }
    if (joined.size === 0) return Promise.resolve(true);
    return Promise.all(joined).then((results) => results.every(Boolean));
  }

  /**
   * The backend is down when a client needs a fresh read: within grace_ms the client waits (its hold
   * drops what it cannot answer in time) for the reconnect and a read after it, never the cache of
   * the lost link; past grace_ms it gets the radio's error at once (false).
   */
  private afterReconnect(since: ReadonlyMap<ReadGroup, number>): Promise<boolean> {
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
        // The reconnect's own read is sent after `since`; join it, or read.
        setImmediate(() => resolve(this.readSince(since)));
      };
      this.on('backend', onBackend);
    });
  }

  /** A read of every part, now; concurrent callers share it. Never rejects; true if it succeeded. */
  refresh(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const all = [...this.pending].find(
      (read) => read.groups.size === READ_GROUPS.length && read.sent.size === 0,
    );
    return (all ?? this.startRead(new Set(READ_GROUPS), false)).promise;
  }

  /** Starts a read of `groups`; its requests report the parts they carry as they leave. */
  private startRead(groups: ReadonlySet<ReadGroup>, urgent: boolean): PendingRead {
    const now = performance.now();
    for (const group of groups) this.polledAt.set(group, now);
    const read: PendingRead = { groups, sent: new Map(), promise: Promise.resolve(false) };
    this.pending.add(read);
    read.promise = this.readOnce(read, urgent).finally(() => this.pending.delete(read));
    return read;
  }

  private async readOnce(read: PendingRead, urgent: boolean): Promise<boolean> {
    if (!this.backend.connected) return false;
    const started = performance.now();
    const startSeq = this.issueSeq;
    let fresh: RigState;
    try {
      fresh = await this.backend.read({
        groups: read.groups,
        urgent,
        onSent: (at, carried) => {
          for (const group of carried) if (!read.sent.has(group)) read.sent.set(group, at);
        },
      });
    } catch (err) {
      this.health.readFailed((err as Error).message);
      // A server that is up but cannot read its radio is as good as gone for the clients.
      this.lostAt ??= Date.now();
      this.options.logger.debug({ backend: this.name, err: this.health.lastError }, 'poll failed');
      this.emit('read', { ok: false, ms: performance.now() - started, error: this.health.lastError ?? '' });
      return false;
    }
    const ms = performance.now() - started;
    this.health.readOk(ms);
    this.emit('read', { ok: true, ms });
    this.lostAt = null;
    this.known = true;
    if (read.groups.has('ptt')) {
      if (!this.pttChecked) this.checkLeftKeyed(fresh);
      this.pttChecked = true;
      if (!fresh.ptt) this.foreignPtt = false;
      if (!fresh.ptt && !this.ptt.owner && !this.queue.outstanding('ptt')) this.options.pttRecord?.clear();
    }
    let changed = false;
    for (const group of read.groups) {
      const sentAt = read.sent.get(group) ?? started;
      this.readSentAt.set(group, Math.max(this.readSentAt.get(group) ?? sentAt, sentAt));
      // A read overtaken by a later-sent one (an open's urgent read) holds older news: dropped.
      if (sentAt < (this.appliedAt.get(group) ?? Number.NEGATIVE_INFINITY)) continue;
      this.appliedAt.set(group, sentAt);
      if (group === 'strength') {
        if (this.radio.strengthDb !== fresh.strengthDb) {
          this.radio.strengthDb = fresh.strengthDb;
          changed = true;
        }
        continue;
      }
      for (const field of FIELDS_OF[group]) {
        // A write issued after this read was sent, or still unanswered, is newer than what it saw.
        if ((this.lastIssued.get(field) ?? 0) > startSeq || this.queue.outstanding(field)) continue;
        const value = readField(fresh, field);
        if (sameValue(value, readField(this.radio, field))) continue;
        applyField(this.radio, value);
        changed = true;
        // The radio unkeyed by itself (its own timeout, the operator): nobody holds PTT any more.
        if (value.field === 'ptt' && !value.on && this.ptt.owner) this.ptt.setOwner(null);
      }
    }
    if (changed) this.emit('change', this.radio);
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
    this.health.writeDone(ok ? undefined : (error?.message ?? 'write failed'));
    if (ok) {
      if (value.field === 'ptt' && !value.on) {
        this.ptt.unkeyConfirmed();
        this.options.pttRecord?.clear();
      }
      this.emit('write', { port: port.portName, value, ok: true, ms });
      // Read back from the radio: it may have rounded or refused what it was told.
      this.poller.readSoon(READ_GROUP[value.field]);
      return;
    }
    const message = error?.message ?? 'write failed';
    port.noteFailure();
    this.options.logger.warn(
      { backend: this.name, port: port.portName, write: describeValue(value), err: message },
      'write failed; reconciling from the backend',
    );
    this.emit('write', { port: port.portName, value, ok: false, ms, error: message });
    if (value.field === 'ptt' && value.on) this.ptt.keyFailed(port);
    if (value.field === 'ptt' && !value.on) this.ptt.unkeyFailed(port);
    void this.refresh();
  }

  private onWriteDropped(write: QueuedWrite<PortRig>, reason: DropReason): void {
    this.options.logger.info(
      { backend: this.name, port: write.origin.portName, write: describeValue(write.value), reason },
      'write dropped before it reached the radio',
    );
    if (write.value.field === 'ptt' && write.value.on) this.ptt.keyFailed(write.origin);
    else this.poller.readSoon(READ_GROUP[write.value.field]);
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
    return this.ptt.owner;
  }

  setPttOwner(port: PortRig | null): void {
    this.ptt.setOwner(port);
  }

  /** Unkeys the radio whoever holds it (shutdown, emergency release). Resolves when the backend confirmed. */
  async releasePtt(reason: string): Promise<boolean> {
    const owner = this.ptt.owner;
    if (!owner && !this.radio.ptt) return true;
    // The reason is in the message, not only a field: it is what a person reading the log asks first.
    this.options.logger.warn(
      { backend: this.name, port: owner?.portName, reason },
      `releasing PTT: ${reason}`,
    );
    this.ptt.setOwner(null);
    const anyPort = owner ?? [...this.ports][0];
    if (!anyPort) return false;
    return this.issue(anyPort, { field: 'ptt', on: false });
  }

  // ---- backend comings and goings ----

  private onBackendConnected(): void {
    this.health.connected();
    this.downSince = null;
    this.emit('backend', true);
    this.options.logger.info({ backend: this.name, address: this.backend.address }, 'backend connected');
    this.ptt.linkBack();
    void this.refresh();
  }

  private onBackendDisconnected(err?: Error): void {
    if (this.closed) return; // our own shutdown closed it
    if (this.downSince === null) this.downSince = Date.now();
    this.lostAt ??= Date.now();
    if (err) this.health.lastError = err.message;
    this.emit('backend', false);
    this.options.logger.warn({ backend: this.name, err: err?.message }, 'backend disconnected');
    this.ptt.linkLost();
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
    const keyed = this.radio.ptt || this.ptt.owner !== null;
    for (const port of this.ports) port.flush();
    const released = this.releasePtt('catbridge is stopping');
    this.closed = true;
    this.poller.stop();
    this.ptt.stop();
    for (const stop of [...this.watchers]) stop();
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
