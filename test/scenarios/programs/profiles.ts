import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export interface EmulatedRig {
  /** Profile id (config/rigs/<id>.yaml), also used as the gateway port name. */
  id: string;
  family: string;
  hamlibModel: number;
  /** Manufacturer + model as Hamlib lists it, which is the name WSJT-X shows (e.g. "Elecraft K3"). */
  hamlibFullName: string;
  /** The serial settings; a network-only model (the FLEX-6000) has none and takes the 6xxx's usual. */
  baud: number;
  stopBits: number;
  ranges: { from: number; to: number }[];
  /** Hamlib's own word for how the model is reached ("Port type: Network link": CAT over TCP). */
  link: 'pty' | 'tcp';
  /** Whether Hamlib can key the model over CAT ("PTT type: Rig capable"); the IC-706MkIIG cannot. */
  catPtt: boolean;
}

let hamlibNames: Map<number, string> | null = null;

/** `rigctl -l`: model number → "Mfg Model", as WSJT-X builds its rig list from Hamlib's caps. */
function hamlibList(): Map<number, string> {
  if (hamlibNames) return hamlibNames;
  const out = execFileSync('rigctl', ['-l'], { encoding: 'utf8' });
  hamlibNames = new Map();
  for (const line of out.split('\n')) {
    const fields = line.trim().split(/\s{2,}/);
    const model = Number(fields[0]);
    if (Number.isInteger(model) && fields.length >= 3) hamlibNames.set(model, `${fields[1]} ${fields[2]}`);
  }
  return hamlibNames;
}

export function loadRig(id: string): EmulatedRig {
  const file = resolve(process.cwd(), 'config', 'rigs', `${id}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as {
    family: string;
    hamlib: { model: number; name: string };
    serial?: { baud: number; stop_bits: number };
    frequency_ranges: { from_hz: number; to_hz: number }[];
  };
  const full = hamlibList().get(doc.hamlib.model);
  if (!full) throw new Error(`rigctl -l does not list Hamlib model ${doc.hamlib.model} (${id})`);
  const caps = execFileSync('rigctl', ['-m', String(doc.hamlib.model), '--dump-caps'], { encoding: 'utf8' });
  return {
    id,
    family: doc.family,
    hamlibModel: doc.hamlib.model,
    hamlibFullName: full,
    baud: doc.serial?.baud ?? 115200,
    stopBits: doc.serial?.stop_bits ?? 1,
    ranges: doc.frequency_ranges.map((r) => ({ from: r.from_hz, to: r.to_hz })),
    link: /Port type:\s+Network link/.test(caps) ? 'tcp' : 'pty',
    catPtt: /PTT type:\s+Rig capable/.test(caps),
  };
}

export function inRange(rig: EmulatedRig, hz: number): boolean {
  return rig.ranges.some((r) => hz >= r.from && hz <= r.to);
}

/**
 * Three distinct frequencies for one model's run (start, QSY at the radio, set from the program),
 * unique per index so a stale answer from an earlier model's run is told apart. HF where the radio
 * has HF; the IC-9700 (VHF/UHF only) gets 2 m / 70 cm.
 */
export function planFrequencies(
  rig: EmulatedRig,
  index: number,
): { start: number; qsy: number; set: number } {
  const k = (index + 1) * 100;
  const hf = { start: 7_074_000 + k, qsy: 21_074_000 + k, set: 14_074_000 + k };
  if (inRange(rig, hf.start) && inRange(rig, hf.qsy) && inRange(rig, hf.set)) return hf;
  const vhf = { start: 144_174_000 + k, qsy: 145_500_000 + k, set: 432_174_000 + k };
  for (const hz of Object.values(vhf))
    if (!inRange(rig, hz)) throw new Error(`${rig.id}: no frequency plan for its ranges`);
  return vhf;
}
