import type { Mode, ReadGroup, RigState, Vfo } from '../../model/rig.js';
import type { Backend } from '../backends/backend.js';

/**
 * The unit of a write: one field of the radio's state that a backend call changes as a whole.
 * Held writes, revert detection and stale-poll protection all work per field.
 */
export type Field = 'freqA' | 'freqB' | 'modeA' | 'modeB' | 'vfo' | 'split' | 'ptt' | 'rfPower';

/** The part of the radio a field is read with. */
export const READ_GROUP: Record<Field, ReadGroup> = {
  freqA: 'vfoA',
  modeA: 'vfoA',
  freqB: 'vfoB',
  modeB: 'vfoB',
  vfo: 'vfo',
  split: 'split',
  ptt: 'ptt',
  rfPower: 'rfPower',
};

export type FieldValue =
  | { field: 'freqA' | 'freqB'; hz: number }
  | { field: 'modeA' | 'modeB'; mode: Mode; passband: number }
  | { field: 'vfo'; vfo: Vfo }
  | { field: 'split'; on: boolean; txVfo: Vfo }
  | { field: 'ptt'; on: boolean }
  | { field: 'rfPower'; level: number };

/** The current value of a field in a state. */
export function readField(state: Readonly<RigState>, field: Field): FieldValue {
  switch (field) {
    case 'freqA':
      return { field, hz: state.freqA };
    case 'freqB':
      return { field, hz: state.freqB };
    case 'modeA':
      return { field, mode: state.mode, passband: state.passband };
    case 'modeB':
      return { field, mode: state.modeB, passband: state.passbandB };
    case 'vfo':
      return { field, vfo: state.vfo };
    case 'split':
      return { field, on: state.split, txVfo: state.txVfo };
    case 'ptt':
      return { field, on: state.ptt };
    case 'rfPower':
      return { field, level: state.rfPower };
  }
}

/** Writes a field's value into a state (mutates). */
export function applyField(state: RigState, value: FieldValue): void {
  switch (value.field) {
    case 'freqA':
      state.freqA = value.hz;
      return;
    case 'freqB':
      state.freqB = value.hz;
      return;
    case 'modeA':
      state.mode = value.mode;
      state.passband = value.passband;
      return;
    case 'modeB':
      state.modeB = value.mode;
      state.passbandB = value.passband;
      return;
    case 'vfo':
      state.vfo = value.vfo;
      return;
    case 'split':
      state.split = value.on;
      state.txVfo = value.txVfo;
      return;
    case 'ptt':
      state.ptt = value.on;
      return;
    case 'rfPower':
      state.rfPower = value.level;
      return;
  }
}

/**
 * Whether two values of a field mean the same radio state. Split off is split off whatever TX VFO
 * a client named with it (Kenwood `FR0;FT0;` and Hamlib `S 0 VFOB` both just turn split off).
 */
export function sameValue(a: FieldValue, b: FieldValue): boolean {
  switch (a.field) {
    case 'freqA':
    case 'freqB':
      return b.field === a.field && a.hz === b.hz;
    case 'modeA':
    case 'modeB':
      return b.field === a.field && a.mode === b.mode && a.passband === b.passband;
    case 'vfo':
      return b.field === 'vfo' && a.vfo === b.vfo;
    case 'split':
      return b.field === 'split' && a.on === b.on && (!a.on || a.txVfo === b.txVfo);
    case 'ptt':
      return b.field === 'ptt' && a.on === b.on;
    case 'rfPower':
      return b.field === 'rfPower' && Math.abs(a.level - b.level) < 0.005;
  }
}

/** Sends one field's value to a backend. */
export function sendField(backend: Backend, value: FieldValue): Promise<void> {
  switch (value.field) {
    case 'freqA':
      return backend.setFreq('VFOA', value.hz);
    case 'freqB':
      return backend.setFreq('VFOB', value.hz);
    case 'modeA':
      return backend.setMode('VFOA', value.mode, value.passband);
    case 'modeB':
      return backend.setMode('VFOB', value.mode, value.passband);
    case 'vfo':
      return backend.selectVfo(value.vfo);
    case 'split':
      return backend.setSplit(value.on, value.txVfo);
    case 'ptt':
      return backend.setPtt(value.on);
    case 'rfPower':
      return backend.setRfPower(value.level);
  }
}

export const ALL_FIELDS: readonly Field[] = [
  'freqA',
  'freqB',
  'modeA',
  'modeB',
  'vfo',
  'split',
  'ptt',
  'rfPower',
];

export function describeValue(value: FieldValue): string {
  switch (value.field) {
    case 'freqA':
    case 'freqB':
      return `${value.field}=${value.hz}`;
    case 'modeA':
    case 'modeB':
      return `${value.field}=${value.mode}/${value.passband}`;
    case 'vfo':
      return `vfo=${value.vfo}`;
    case 'split':
      return `split=${value.on ? `on tx ${value.txVfo}` : 'off'}`;
    case 'ptt':
      return `ptt=${value.on ? 'on' : 'off'}`;
    case 'rfPower':
      return `rfPower=${value.level.toFixed(2)}`;
  }
}
