import type { RadioSide } from '../../contract/radio-side.js';
import { rigctlCmd } from '../../support/rigctld.js';

/** What a ham would notice at the radio: both VFOs, mode, the receive VFO, split and PTT. */
export interface RadioState {
  freqA: number;
  freqB: number;
  mode: string;
  passband: number;
  vfo: string;
  split: boolean;
  txVfo: string;
  ptt: boolean;
}

export async function readRadio(radio: RadioSide): Promise<RadioState> {
  const mode = await radio.mode('VFOA');
  const split = await radio.split();
  return {
    freqA: await radio.freq('VFOA'),
    freqB: await radio.freq('VFOB'),
    mode: mode.mode,
    passband: mode.passband,
    vfo: await radio.vfo(),
    split: split.on,
    txVfo: split.txVfo,
    ptt: await radio.ptt(),
  };
}

/** Puts the dummy radio behind rigctld in a known state before a program starts. */
export async function prepareRadio(port: number, radio: RadioSide, freqA: number, freqB: number) {
  await rigctlCmd(port, 'T 0', 'V VFOA', 'S 0 VFOA', 'M USB 2400', `F ${freqA}`);
  await radio.setFreqB(freqB);
}

/** The fields that differ, as "field: before → after". */
export function diffRadio(before: RadioState, after: RadioState): string[] {
  const out: string[] = [];
  for (const key of Object.keys(before) as (keyof RadioState)[]) {
    if (before[key] !== after[key]) out.push(`${key}: ${before[key]} → ${after[key]}`);
  }
  return out;
}
