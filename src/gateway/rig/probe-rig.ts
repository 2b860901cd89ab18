import type { ReadGroup, Rig, Vfo, VfoMode, WriteResult } from '../../model/rig.js';
import type { PortRig } from './port-rig.js';

/**
 * A Rig that only notes which parts of the radio are read: a port runs a shadow of its emulator on it,
 * ahead of the real one, to learn what a client's bytes will read before they are answered (so that a
 * read of a part nobody has polled lately waits for a fresh read). Reads see what the port would see;
 * writes change nothing and are accepted; nothing counts as demand.
 */
export class ProbeRig implements Rig {
  readonly touched = new Set<ReadGroup>();
  /** The bytes asked for RX (an unkey a port must not hold back behind a read; see PortSession). */
  unkeyed = false;

  constructor(private readonly port: PortRig) {}

  vfo(): Vfo {
    this.touched.add('vfo');
    return this.port.view().vfo;
  }

  freq(vfo: Vfo): number {
    this.touched.add(vfo === 'VFOA' ? 'vfoA' : 'vfoB');
    const view = this.port.view();
    return vfo === 'VFOA' ? view.freqA : view.freqB;
  }

  mode(vfo: Vfo): Readonly<VfoMode> {
    this.touched.add(vfo === 'VFOA' ? 'vfoA' : 'vfoB');
    const view = this.port.view();
    return vfo === 'VFOA'
      ? { mode: view.mode, passband: view.passband }
      : { mode: view.modeB, passband: view.passbandB };
  }

  split(): boolean {
    this.touched.add('split');
    return this.port.view().split;
  }

  txVfo(): Vfo {
    this.touched.add('split');
    return this.port.view().txVfo;
  }

  ptt(): boolean {
    this.touched.add('ptt');
    return this.port.view().ptt;
  }

  rfPower(): number {
    this.touched.add('rfPower');
    return this.port.view().rfPower;
  }

  strengthDb(): number {
    this.touched.add('strength');
    return this.port.view().strengthDb;
  }

  online(): boolean {
    return this.port.online();
  }

  setFreq(): WriteResult {
    return 'accepted';
  }
  setMode(): WriteResult {
    return 'accepted';
  }
  selectVfo(): WriteResult {
    return 'accepted';
  }
  setSplit(): WriteResult {
    return 'accepted';
  }
  setPtt(on: boolean): WriteResult {
    if (!on) this.unkeyed = true;
    return 'accepted';
  }
  setRfPower(): WriteResult {
    return 'accepted';
  }
}
