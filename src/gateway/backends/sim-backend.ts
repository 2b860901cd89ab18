import { EventEmitter } from 'node:events';
import { DEFAULT_STATE, type Mode, type RigState, type Vfo } from '../../model/rig.js';
import {
  ALL_READ_GROUPS,
  type Backend,
  BackendError,
  type BackendEvents,
  type FrequencyRange,
  type ReadOptions,
} from './backend.js';

const SIM_RANGES: readonly FrequencyRange[] = [{ fromHz: 150_000, toHz: 1_500_000_000 }];

import { checkFreq, checkLevel, checkMode, checkPassband, checkVfo } from './validate.js';

/**
 * A mode's default passband in Hz, what a passband of 0 resolves to. The SSB, CW, FM and WFM values
 * are the "normal" filters Hamlib's dummy rig advertises (`rigctl -m 1 -u`: USB 2.4 kHz, CW 500 Hz,
 * FM 15 kHz, WFM 230 kHz); AM 6 kHz and RTTY 500 Hz are the usual figures of an HF transceiver.
 * Data (PKT*) modes use the filter of the mode they are built on.
 */
export const DEFAULT_PASSBAND: Readonly<Record<Mode, number>> = Object.freeze({
  USB: 2400,
  LSB: 2400,
  CW: 500,
  CWR: 500,
  AM: 6000,
  FM: 15000,
  WFM: 230000,
  RTTY: 500,
  RTTYR: 500,
  PKTUSB: 2400,
  PKTLSB: 2400,
  PKTFM: 15000,
  PKTAM: 6000,
});

export function passbandFor(mode: Mode, passbandHz: number): number {
  return passbandHz === 0 ? DEFAULT_PASSBAND[mode] : passbandHz;
}

/** S-meter limits in dB relative to S9 (Hamlib STRENGTH): S0 .. S9+60. */
const STRENGTH_MIN = -54;
const STRENGTH_MAX = 60;

export interface SimBackendOptions {
  /** Starting state (merged over DEFAULT_STATE). Passbands of 0 resolve to the mode's default. */
  initial?: Partial<RigState>;
  /** Delay of every answer in ms, for tests of slow radios. 0 (default): answers in a microtask. */
  latencyMs?: number;
  /** Random source in [0, 1) for the S-meter's wander; inject a seeded one for reproducible tests. */
  random?: () => number;
}

/**
 * The built-in simulated radio (DESIGN.md "backends/"), the gateway's embedded default. Always
 * connected; every call answers asynchronously like a real backend but without I/O, so the gateway
 * behaves the same whichever backend it has. Two VFOs with their own mode and passband, split with a
 * TX VFO, PTT, RF power and an S-meter that wanders slowly around its level while receiving and holds
 * still while transmitting (the receiver is muted).
 */
/** The simulator's events: a backend's, and each change made at the radio (simulateRadioChange). */
export interface SimBackendEvents extends BackendEvents {
  radioChange: [state: RigState];
}

export class SimBackend extends EventEmitter<SimBackendEvents> implements Backend {
  readonly type = 'sim' as const;
  readonly address = 'sim';
  private state: RigState;
  /** The level the S-meter wanders around; follows simulateRadioChange({ strengthDb }). */
  private strengthCentre: number;
  private closed = false;
  private announced = false;
  private readonly latencyMs: number;
  private readonly random: () => number;

  constructor(options: SimBackendOptions = {}) {
    super();
    this.latencyMs = options.latencyMs ?? 0;
    this.random = options.random ?? Math.random;
    this.state = normalise({ ...DEFAULT_STATE, ...options.initial });
    this.strengthCentre = this.state.strengthDb;
  }

  get connected(): boolean {
    return !this.closed;
  }

  connect(): Promise<void> {
    return this.answer(() => {
      // Announce once, like a network backend's first connection, so listeners see the same sequence.
      if (!this.announced) {
        this.announced = true;
        this.emit('connected');
      }
    });
  }

  /**
   * The simulated radio is a radio of its own, not the model a port emulates: it covers what Hamlib's
   * dummy radio covers (150 kHz – 1.5 GHz, as `rigctld -m 1` reports in `\dump_state`), so any port
   * tunes it as it would tune an all-band radio behind rigctld.
   */
  frequencyRanges(): ReadonlyArray<FrequencyRange> {
    return SIM_RANGES;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('disconnected');
  }

  /** The radio's state right now, synchronously (tests). */
  snapshot(): RigState {
    return { ...this.state };
  }

  /**
   * Someone at the radio changed it (turned the dial, pressed A/B...). Applies at once; the gateway
   * sees it on its next read(), as it would with a real radio. Passbands of 0 resolve to the default.
   */
  simulateRadioChange(patch: Partial<RigState>): void {
    this.state = normalise({ ...this.state, ...patch });
    if (patch.strengthDb !== undefined) this.strengthCentre = this.state.strengthDb;
    this.emit('radioChange', this.snapshot());
  }

  read(options: ReadOptions = {}): Promise<RigState> {
    options.onSent?.(performance.now(), [...(options.groups ?? ALL_READ_GROUPS)]);
    return this.answer(() => {
      this.wanderStrength();
      return this.snapshot();
    });
  }

  setFreq(vfo: Vfo, hz: number): Promise<void> {
    return this.answer(() => {
      const key = checkVfo(vfo) === 'VFOA' ? 'freqA' : 'freqB';
      this.state[key] = checkFreq(hz);
    });
  }

  setMode(vfo: Vfo, mode: Mode, passbandHz: number): Promise<void> {
    return this.answer(() => {
      const m = checkMode(mode);
      const passband = passbandFor(m, checkPassband(passbandHz));
      if (checkVfo(vfo) === 'VFOA') Object.assign(this.state, { mode: m, passband });
      else Object.assign(this.state, { modeB: m, passbandB: passband });
    });
  }

  selectVfo(vfo: Vfo): Promise<void> {
    return this.answer(() => {
      this.state.vfo = checkVfo(vfo);
    });
  }

  setSplit(on: boolean, txVfo: Vfo): Promise<void> {
    return this.answer(() => {
      this.state.split = Boolean(on);
      this.state.txVfo = checkVfo(txVfo);
    });
  }

  setPtt(on: boolean): Promise<void> {
    return this.answer(() => {
      this.state.ptt = Boolean(on);
    });
  }

  setRfPower(level: number): Promise<void> {
    return this.answer(() => {
      this.state.rfPower = checkLevel(level);
    });
  }

  /**
   * One step of a mean-reverting random walk per read: at most ±1.5 dB, pulled a fifth of the way
   * back to the centre, so a meter polled every 250 ms drifts like band noise instead of jumping.
   */
  private wanderStrength(): void {
    if (this.state.ptt) return;
    const step = (this.random() - 0.5) * 3;
    const pulled = this.state.strengthDb + step + (this.strengthCentre - this.state.strengthDb) * 0.2;
    this.state.strengthDb = Math.round(clamp(pulled, STRENGTH_MIN, STRENGTH_MAX) * 10) / 10;
  }

  /** Runs fn as an asynchronous answer: in a microtask, or after latencyMs; rejects once closed. */
  private answer<T>(fn: () => T): Promise<T> {
    const run = (): T => {
      if (this.closed) throw new BackendError('simulated radio closed');
      return fn();
    };
    if (this.latencyMs <= 0) return Promise.resolve().then(run);
    return new Promise<T>((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(run());
        } catch (err) {
          reject(err);
        }
      }, this.latencyMs);
    });
  }
}

function normalise(state: RigState): RigState {
  return {
    ...state,
    passband: passbandFor(state.mode, state.passband),
    passbandB: passbandFor(state.modeB, state.passbandB),
    strengthDb: clamp(state.strengthDb, STRENGTH_MIN, STRENGTH_MAX),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
