import type { Mode, RigState, Vfo } from '../../model/rig.js';

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
  /** One refresh of the whole state, with as few round trips as the server allows. */
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

/** A band the radio covers: whole Hz, both ends included. */
export interface FrequencyRange {
  readonly fromHz: number;
  readonly toHz: number;
}

/** What one read may leave out to be quicker (a freshly opened port waits for it). */
export interface ReadOptions {
  /** Read RF power and the S-meter too (default true); a backend may read them anyway when they cost nothing extra. */
  meters?: boolean;
  /** Read PTT too (default true). */
  ptt?: boolean;
  /** Ahead of whatever the backend has queued and not yet sent (a freshly opened port waits for it). */
  urgent?: boolean;
  /**
   * Called as the read's requests leave for the radio (performance.now(), and the request's index in
   * the read): a read not yet sent sees whatever happens before it. Every backend calls it for index 0
   * and 1 at the latest when they are sent; one whose read is a single request calls both at once.
   */
  onSent?: (atMs: number, index: number) => void;
  /**
   * Read only which VFO the radio receives on, ahead of every other request not yet sent: a port
   * opened just after a read's `v` left completes that read with a `v` of its own.
   */
  vfoOnly?: boolean;
}

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
