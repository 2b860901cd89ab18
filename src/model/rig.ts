/**
 * The canonical radio model, in Hamlib's vocabulary (DESIGN.md "Canonical model").
 * Everything between an emulator (src/rigs) and a backend (src/gateway/backends) speaks these types;
 * nothing here knows a CAT protocol or a radio server.
 */

export const VFOS = ['VFOA', 'VFOB'] as const;
export type Vfo = (typeof VFOS)[number];

export const MODES = [
  'USB',
  'LSB',
  'CW',
  'CWR',
  'AM',
  'FM',
  'WFM',
  'RTTY',
  'RTTYR',
  'PKTUSB',
  'PKTLSB',
  'PKTFM',
  'PKTAM',
] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

export function otherVfo(vfo: Vfo): Vfo {
  return vfo === 'VFOA' ? 'VFOB' : 'VFOA';
}

/** What SharedRig caches and the REST API shows. Frequencies and passbands in Hz (0 = the rig's default). */
export interface RigState {
  /** The VFO the radio receives on. */
  vfo: Vfo;
  freqA: number;
  freqB: number;
  /** Mode and passband of VFO A. */
  mode: Mode;
  passband: number;
  /** Mode and passband of VFO B. */
  modeB: Mode;
  passbandB: number;
  split: boolean;
  /** The VFO the radio transmits on when split is on (when split is off it transmits on `vfo`). */
  txVfo: Vfo;
  ptt: boolean;
  /** RF power setting, 0..1 of the radio's maximum (Hamlib RFPOWER). */
  rfPower: number;
  /** Signal strength in dB relative to S9 (Hamlib STRENGTH; S9 = 0, S0 = -54). */
  strengthDb: number;
}

/**
 * The parts of the radio's state that are read together (one rigctld request each, at most): a client
 * reading a part makes the gateway poll it; a part nobody reads is not polled.
 */
export const READ_GROUPS = ['vfo', 'vfoA', 'vfoB', 'split', 'ptt', 'rfPower', 'strength'] as const;
export type ReadGroup = (typeof READ_GROUPS)[number];

/** A VFO's mode and passband (Hz; 0 = the rig's default for the mode). */
export interface VfoMode {
  mode: Mode;
  passband: number;
}

/**
 * Reads of the radio, one part at a time: what a client reads is what the gateway polls (demand-driven
 * polling, DESIGN.md), so every read names the part it needs rather than taking the whole state.
 */
export interface RigReads {
  /** The VFO the radio receives on. */
  vfo(): Vfo;
  freq(vfo: Vfo): number;
  mode(vfo: Vfo): Readonly<VfoMode>;
  split(): boolean;
  /** The VFO the radio transmits on when split is on. */
  txVfo(): Vfo;
  ptt(): boolean;
  /** RF power setting, 0..1 of the radio's maximum. */
  rfPower(): number;
  /** Signal strength in dB relative to S9. */
  strengthDb(): number;
}

export type WriteResult = 'accepted' | 'refused';

/**
 * One client's handle on its SharedRig. Synchronous: reads come from the cache, writes are optimistic
 * (the cache changes at once, the backend follows in order after the settle window).
 */
export interface Rig extends RigReads {
  setFreq(vfo: Vfo, hz: number): WriteResult;
  /** `passbandHz` undefined keeps the current passband; 0 means the rig's default for the mode. */
  setMode(vfo: Vfo, mode: Mode, passbandHz?: number): WriteResult;
  /** The radio's RX VFO (shared by every port). */
  selectVfo(vfo: Vfo): WriteResult;
  setSplit(on: boolean, txVfo: Vfo): WriteResult;
  /** Refused when another port holds PTT, the port may not transmit, or the backend is down. */
  setPtt(on: boolean): WriteResult;
  setRfPower(level: number): WriteResult;
  /**
   * False once the radio behind the port has been unreachable for longer than the grace period (and
   * until it has been read again): reads then get the dialect's error instead of an old state, so
   * clients notice (DESIGN.md: backend loss).
   */
  online(): boolean;
}

/** The VFO the radio transmits on. */
export function transmitVfo(rig: RigReads): Vfo {
  return rig.split() ? rig.txVfo() : rig.vfo();
}

/** Frequency of a VFO in a state. */
export function freqOf(state: Readonly<RigState>, vfo: Vfo): number {
  return vfo === 'VFOA' ? state.freqA : state.freqB;
}

/** Mode and passband of a VFO in a state. */
export function modeOf(state: Readonly<RigState>, vfo: Vfo): VfoMode {
  return vfo === 'VFOA'
    ? { mode: state.mode, passband: state.passband }
    : { mode: state.modeB, passband: state.passbandB };
}

/** RigReads over a plain state (tests, tools); every read sees the state as it is at that moment. */
export function readsOf(state: () => Readonly<RigState>): RigReads {
  return {
    vfo: () => state().vfo,
    freq: (vfo) => freqOf(state(), vfo),
    mode: (vfo) => modeOf(state(), vfo),
    split: () => state().split,
    txVfo: () => state().txVfo,
    ptt: () => state().ptt,
    rfPower: () => state().rfPower,
    strengthDb: () => state().strengthDb,
  };
}

export const DEFAULT_STATE: Readonly<RigState> = Object.freeze({
  vfo: 'VFOA',
  freqA: 14_074_000,
  freqB: 14_076_000,
  mode: 'USB',
  passband: 2400,
  modeB: 'USB',
  passbandB: 2400,
  split: false,
  txVfo: 'VFOA',
  ptt: false,
  rfPower: 1,
  strengthDb: -54 + 6 * 5,
});
