import { type Mode, READ_GROUPS, type ReadGroup, type RigState, type Vfo } from '../../model/rig.js';

/**
 * One radio server (rigctld, flrig, the built-in simulator). Asynchronous; knows nothing of CAT.
 * Every method rejects with a BackendError when the server refuses, times out or is unreachable.
 */
export interface Backend {
  readonly type: 'sim' | 'rigctld' | 'flrig';
  /** Human readable address for logs and status ("127.0.0.1:4532", "sim"). */
  readonly address: string;
  readonly connected: boolean;
  /** Resolves once connected (and initial handshakes done); keeps reconnecting with backoff until close(). */
  connect(): Promise<void>;
  /** Reads the parts of the state asked for (all by default), with as few round trips as the server allows. */
  read(options?: ReadOptions): Promise<RigState>;
  setFreq(vfo: Vfo, hz: number): Promise<void>;
  setMode(vfo: Vfo, mode: Mode, passbandHz: number): Promise<void>;
  selectVfo(vfo: Vfo): Promise<void>;
  setSplit(on: boolean, txVfo: Vfo): Promise<void>;
  setPtt(on: boolean): Promise<void>;
  setRfPower(level: number): Promise<void>;
  /**
   * The frequencies the radio behind covers (RX and TX together, sorted, disjoint), as the server
   * reported them at the last connect; null when the server does not say (flrig, sim) or has not
   * been reached yet — the gateway then uses the port's profile ranges. Optional so that a backend
   * without any notion of ranges need not implement it: absent means null.
   */
  frequencyRanges?(): ReadonlyArray<FrequencyRange> | null;
  close(): Promise<void>;
  /** 'connected' / 'disconnected' with an Error on loss. */
  on(event: 'connected', fn: () => void): this;
  on(event: 'disconnected', fn: (err?: Error) => void): this;
}

/** The events every backend emits. */
export interface BackendEvents {
  connected: [];
  /** The link was lost (with why, when known); the backend keeps reconnecting until close(). */
  disconnected: [err?: Error];
}

/** A band the radio covers: whole Hz, both ends included. */
export interface FrequencyRange {
  readonly fromHz: number;
  readonly toHz: number;
}

/** What one read asks for. */
export interface ReadOptions {
  /** The parts of the radio to read (default: all); a backend may read more when it costs nothing extra. */
  groups?: ReadonlySet<ReadGroup>;
  /** Ahead of whatever the backend has queued and not yet sent (a client waiting for a fresh read). */
  urgent?: boolean;
  /**
   * Called as each request leaves for the radio (performance.now()) with the parts it reads: what a
   * part's request was sent after is what the read can vouch for (the open rule, DESIGN.md). Every
   * backend reports every part it reads, at the latest when its request is sent.
   */
  onSent?: (atMs: number, carried: readonly ReadGroup[]) => void;
}

export const ALL_READ_GROUPS: ReadonlySet<ReadGroup> = new Set(READ_GROUPS);

export class BackendError extends Error {
  constructor(
    message: string,
    /** Hamlib RPRT code where the server gave one (negative), undefined for transport errors. */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}
