import {
  DEFAULT_STATE,
  type Mode,
  type Rig,
  type RigState,
  readsOf,
  type Vfo,
  type WriteResult,
} from '../../src/model/rig.js';

/**
 * An in-memory Rig for emulator unit tests: writes apply at once, every call is recorded, and it can
 * be told to refuse writes. (The gateway's real Rig, PortRig, is proven by its own tests and the
 * contract tests.)
 */
export class FakeRig implements Rig {
  current: RigState;
  calls: string[] = [];
  refuse = false;
  /** The radio behind the port is unreachable past the grace period. */
  offline = false;

  constructor(initial: Partial<RigState> = {}) {
    this.current = { ...DEFAULT_STATE, ...initial };
  }

  private readonly reads = readsOf(() => this.current);
  vfo = this.reads.vfo;
  freq = this.reads.freq;
  mode = this.reads.mode;
  split = this.reads.split;
  txVfo = this.reads.txVfo;
  ptt = this.reads.ptt;
  rfPower = this.reads.rfPower;
  strengthDb = this.reads.strengthDb;

  online(): boolean {
    return !this.offline;
  }

  private write(call: string, apply: () => void): WriteResult {
    this.calls.push(call);
    if (this.refuse) return 'refused';
    apply();
    return 'accepted';
  }

  setFreq(vfo: Vfo, hz: number): WriteResult {
    return this.write(`setFreq ${vfo} ${hz}`, () => {
      if (vfo === 'VFOA') this.current.freqA = hz;
      else this.current.freqB = hz;
    });
  }
  setMode(vfo: Vfo, mode: Mode, passbandHz?: number): WriteResult {
    return this.write(`setMode ${vfo} ${mode}${passbandHz === undefined ? '' : ` ${passbandHz}`}`, () => {
      if (vfo === 'VFOA') {
        this.current.mode = mode;
        if (passbandHz !== undefined) this.current.passband = passbandHz;
      } else {
        this.current.modeB = mode;
        if (passbandHz !== undefined) this.current.passbandB = passbandHz;
      }
    });
  }
  selectVfo(vfo: Vfo): WriteResult {
    return this.write(`selectVfo ${vfo}`, () => {
      this.current.vfo = vfo;
    });
  }
  setSplit(on: boolean, txVfo: Vfo): WriteResult {
    return this.write(`setSplit ${on} ${txVfo}`, () => {
      this.current.split = on;
      this.current.txVfo = txVfo;
    });
  }
  setPtt(on: boolean): WriteResult {
    return this.write(`setPtt ${on}`, () => {
      this.current.ptt = on;
    });
  }
  setRfPower(level: number): WriteResult {
    return this.write(`setRfPower ${level}`, () => {
      this.current.rfPower = level;
    });
  }
}
