import { type Mode, otherVfo, type RigReads, type Vfo } from '../../model/rig.js';
import { rawFor } from '../calibration.js';
import { droppedEvent, type Emulator, type EmulatorOptions, type FrameEvent } from '../emulator.js';
import { frequencyBytes, frequencyFrom, fromBcdBigEndian, toBcdBigEndian } from './bcd.js';
import { type CivFrame, CivFramer } from './framer.js';
import {
  filterGroup,
  ICOM_MODE_BYTES,
  icomModeOf,
  indexFromWidth,
  modeFromIcom,
  widthFromIndex,
} from './modes.js';
import type { IcomProfile } from './profile.js';

const OK = 0xfb;
const NG = 0xfa;
/** Frames to this address are broadcasts (transceive); every radio on the bus takes them. */
const BROADCAST = 0x00;

/** One CI-V command of the family's table: its handler, and the profile capability it needs, if any. */
interface CivCommand {
  needs?: 'satellite';
  run(emulator: IcomEmulator, data: Uint8Array, body: Uint8Array): Outcome;
}

/** What one frame produced: the reply body (between the addresses and FD), none for silence. */
interface Outcome {
  body?: number[];
  kind: FrameEvent['kind'];
  meaning: string;
}

const hex = (bytes: Iterable<number>) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');

/**
 * An Icom CI-V radio (IC-7300, IC-705, IC-9700, IC-7610, …) on one port, as Hamlib 4.5.4's Icom
 * backends expect it (research/hamlib.md §4): every frame addressed to this radio is answered at once
 * from the rig's state — data, OK (`FB`) or NG (`FA`), never silence, which costs Hamlib 4 × 1 s —
 * and frames for another address are ignored, as on a shared bus.
 */
export class IcomEmulator implements Emulator {
  private readonly framer = new CivFramer();
  private readonly profile: IcomProfile;
  private readonly address: number;
  private readonly answers: Map<string, string>;
  // Per-client protocol state (DESIGN.md: a port's own business), cleared by reset().
  private portAnswers = new Map<string, string>();
  /** FIL1–3 the client chose last, per VFO: the width alone cannot always tell which preset it was. */
  private filterChosen: Record<Vfo, number | undefined> = { VFOA: undefined, VFOB: undefined };
  /** What transceive output last reported (selected VFO's frequency and mode), to send only changes. */
  private reported = '';

  constructor(private readonly options: EmulatorOptions<IcomProfile>) {
    this.profile = options.profile;
    this.address = options.port.civAddress ?? options.profile.civ_address;
    this.answers = new Map(
      Object.entries(this.profile.answers).map(([k, v]) => [k.replace(/ /g, '').toUpperCase(), v]),
    );
    this.reported = this.transceiveKey(this.rig);
  }

  receive(bytes: Uint8Array): void {
    const out: number[] = [];
    this.framer.push(bytes, {
      frame: (frame) => {
        const reply = this.handle(frame);
        for (const b of reply.bytes) out.push(b);
        this.options.onFrame?.({
          request: frame.raw,
          reply: Uint8Array.from(reply.bytes),
          kind: reply.kind,
          meaning: reply.meaning,
        });
      },
      dropped: (dropped) => this.options.onFrame?.(droppedEvent(dropped)),
    });
    // One write per chunk: echo and reply of each frame, frames in order.
    if (out.length > 0) this.options.write(Uint8Array.from(out));
    if (this.options.port.transceive) this.reported = this.transceiveKey(this.rig);
  }

  reset(): void {
    this.framer.reset();
    this.portAnswers = new Map();
    this.filterChosen = { VFOA: undefined, VFOB: undefined };
    this.reported = this.transceiveKey(this.rig);
  }

  dropInput(): void {
    this.framer.reset();
  }

  stateChanged(): void {
    // CI-V transceive: the radio announces a new frequency (`00`) or mode (`01`) to the broadcast address.
    if (!this.options.port.transceive) return;
    const state = this.rig;
    const key = this.transceiveKey(state);
    if (key === this.reported) return;
    const [oldFreq, oldMode] = this.reported.split('/');
    this.reported = key;
    const frames: number[] = [];
    const frame = (body: number[]) => frames.push(0xfe, 0xfe, BROADCAST, this.address, ...body, 0xfd);
    if (oldFreq !== String(state.freq(state.vfo())))
      frame([0x00, ...frequencyBytes(state.freq(state.vfo()))]);
    if (oldMode !== key.split('/')[1]) {
      const { mode } = state.mode(state.vfo());
      frame([0x01, ICOM_MODE_BYTES[icomModeOf(mode).name], this.filterNumber(state.vfo())]);
    }
    this.options.write(Uint8Array.from(frames));
  }

  private transceiveKey(state: RigReads): string {
    const { mode, passband } = state.mode(state.vfo());
    return `${state.freq(state.vfo())}/${icomModeOf(mode).name}:${passband}`;
  }

  private get rig() {
    return this.options.rig;
  }

  private handle(frame: CivFrame): { bytes: number[]; kind: FrameEvent['kind']; meaning: string } {
    const echo = this.options.port.echo ? Array.from(frame.raw) : [];
    if (frame.to !== this.address && frame.to !== BROADCAST) {
      return { bytes: echo, kind: 'query', meaning: `for CI-V address ${hex([frame.to])}: not this radio` };
    }
    let outcome: Outcome;
    if (!this.rig.online()) {
      // The radio behind the port is gone past the grace period: NG rather than old state.
      outcome = { body: [NG], kind: 'unavailable', meaning: `${hex(frame.body)}: radio unreachable` };
    } else {
      outcome = this.safeExecute(frame.body);
    }
    const reply = outcome.body ? [0xfe, 0xfe, frame.from, this.address, ...outcome.body, 0xfd] : [];
    return { bytes: [...echo, ...reply], kind: outcome.kind, meaning: outcome.meaning };
  }

  private safeExecute(body: Uint8Array): Outcome {
    try {
      return this.execute(body);
    } catch {
      // Never let a bug in one command take the port down: the client sees a refusal.
      return { body: [NG], kind: 'malformed', meaning: 'internal error' };
    }
  }

  /**
   * The CI-V commands of the family (research/hamlib.md §4), keyed by command, or command and
   * sub-command, in hex: each handler gets the data after its key. A profile's `lacks` removes commands
   * its radio does not have (the IC-7100 has no `25`/`26`), `needs` names the profile capability that
   * switches one on; everything else goes to the profile's answers (levels, functions, menus).
   */
  private static readonly COMMANDS: Readonly<Record<string, CivCommand>> = {
    '03': { run: (e, data, body) => (data.length ? e.ng(body) : e.readFrequency([0x03], e.selected)) },
    '04': { run: (e, data, body) => (data.length ? e.ng(body) : e.readMode([0x04], e.selected, false)) },
    '05': { run: (e, data) => e.setFrequency(e.selected, data) },
    '00': { run: (e, data) => e.silent(e.setFrequency(e.selected, data)) },
    '06': { run: (e, data) => e.setModeLegacy(data) },
    '01': { run: (e, data) => e.silent(e.setModeLegacy(data)) },
    '07': { run: (e, data) => e.vfo(data) },
    '0F': { run: (e, data) => e.split(data) },
    '140A': { run: (e, data) => e.rfPower(data) },
    '15': { run: (e, _data, body) => e.meter(body) },
    '165A': {
      needs: 'satellite',
      run: (e, data, body) =>
        data.length
          ? e.table(body)
          : { body: [0x16, 0x5a, 0x00], kind: 'query', meaning: 'get satellite mode → off' },
    },
    '18': { run: (e, data) => e.power(data) },
    '1900': {
      run: (e, data, body) =>
        data.length
          ? e.table(body)
          : { body: [0x19, 0x00, e.address], kind: 'query', meaning: 'read transceiver ID' },
    },
    '1A03': { run: (e, data) => e.filterWidth(data) },
    '1A06': { run: (e, data) => e.dataMode(data) },
    '1C00': { run: (e, data) => e.ptt(data) },
    '25': { run: (e, data) => e.vfoFrequency(data) },
    '26': { run: (e, data) => e.vfoMode(data) },
  };

  private execute(body: Uint8Array): Outcome {
    for (const length of [2, 1]) {
      const key = hex(body.subarray(0, length));
      const command = IcomEmulator.COMMANDS[key];
      if (body.length < length || !command) continue;
      if (this.profile.lacks.includes(key)) return this.ng(body, 'unknown');
      if (command.needs && !this.profile[command.needs]) continue;
      return command.run(this, body.subarray(length), body);
    }
    return this.table(body);
  }

  private get selected(): Vfo {
    return this.rig.vfo();
  }

  private ng(body: Uint8Array, kind: FrameEvent['kind'] = 'malformed'): Outcome {
    return {
      body: [NG],
      kind,
      meaning: `${kind === 'unknown' ? 'unknown command' : 'bad frame'} ${hex(body)}`,
    };
  }

  private set(ok: boolean, meaning: string): Outcome {
    return ok
      ? { body: [OK], kind: 'set', meaning }
      : { body: [NG], kind: 'set', meaning: `${meaning} (refused)` };
  }

  /** The transceive-format sets `00`/`01` are never answered. */
  private silent(outcome: Outcome): Outcome {
    return { kind: outcome.kind, meaning: outcome.meaning };
  }

  /** `25 00`/`25 01` and `26 00`/`26 01` address the selected and the unselected VFO. */
  private vfoBySelector(selector: number | undefined): Vfo | undefined {
    if (selector === 0x00) return this.selected;
    if (selector === 0x01) return otherVfo(this.selected);
    return undefined;
  }

  private readFrequency(prefix: number[], vfo: Vfo): Outcome {
    const hz = this.rig.freq(vfo);
    return {
      body: [...prefix, ...frequencyBytes(hz)],
      kind: 'query',
      meaning: `get ${vfo} frequency → ${hz} Hz`,
    };
  }

  private setFrequency(vfo: Vfo, data: Uint8Array): Outcome {
    const hz = frequencyFrom(data);
    if (hz === undefined) return this.ng(data);
    return this.set(this.rig.setFreq(vfo, hz) === 'accepted', `set ${vfo} frequency ${hz} Hz`);
  }

  private vfoFrequency(rest: Uint8Array): Outcome {
    const vfo = this.vfoBySelector(rest[0]);
    if (!vfo) return this.ng(Uint8Array.of(0x25, ...rest));
    if (rest.length === 1) return this.readFrequency([0x25, rest[0]!], vfo);
    return this.setFrequency(vfo, rest.subarray(1));
  }

  /** The filter number (FIL1–3) a VFO shows: the preset its width matches, else the client's last choice. */
  private filterNumber(vfo: Vfo): number {
    const { mode, passband } = this.rig.mode(vfo);
    const presets = this.presets(mode);
    const chosen = this.filterChosen[vfo];
    if (chosen && presets[chosen - 1] === this.width(mode, passband)) return chosen;
    const match = presets.indexOf(this.width(mode, passband));
    return match >= 0 ? match + 1 : (chosen ?? 1);
  }

  private presets(mode: Mode): readonly number[] {
    const group = filterGroup(mode);
    return (
      (group === 'wfm' ? this.profile.filters.wfm : this.profile.filters[group]) ?? this.profile.filters.fm
    );
  }

  /** A passband of 0 is "the radio's default": FIL2, the preset the radios ship as normal. */
  private width(mode: Mode, passband: number): number {
    return passband > 0 ? passband : this.presets(mode)[1]!;
  }

  private readMode(prefix: number[], vfo: Vfo, withData: boolean): Outcome {
    const { mode } = this.rig.mode(vfo);
    const { name, data } = icomModeOf(mode);
    const fil = this.filterNumber(vfo);
    const body = withData
      ? [...prefix, ICOM_MODE_BYTES[name], data ? 1 : 0, fil]
      : [...prefix, ICOM_MODE_BYTES[name], fil];
    return { body, kind: 'query', meaning: `get ${vfo} mode → ${mode} FIL${fil}` };
  }

  /** Sets a VFO's mode; a filter number takes that preset's width, as pressing FIL1–3 does. */
  private applyMode(vfo: Vfo, modeByte: number, data: boolean, fil: number | undefined): Outcome {
    const mode = modeFromIcom(modeByte, data, this.profile.modes);
    if (!mode)
      return {
        body: [NG],
        kind: 'malformed',
        meaning: `mode ${hex([modeByte])}${data ? '-D' : ''} does not exist on this radio`,
      };
    if (fil !== undefined && (fil < 1 || fil > 3))
      return { body: [NG], kind: 'malformed', meaning: `no filter ${fil}` };
    const current = this.rig.mode(vfo);
    let passband: number | undefined;
    if (fil !== undefined) {
      this.filterChosen[vfo] = fil;
      passband = this.presets(mode)[fil - 1]!;
    } else if (filterGroup(mode) !== filterGroup(current.mode)) {
      passband = 0;
    }
    if (
      mode === current.mode &&
      (passband === undefined || passband === this.width(mode, current.passband))
    ) {
      return { body: [OK], kind: 'set', meaning: `set ${vfo} mode ${mode}` };
    }
    return this.set(this.rig.setMode(vfo, mode, passband) === 'accepted', `set ${vfo} mode ${mode}`);
  }

  /** `06 <mode> [<fil>]`: the mode of the selected VFO, DATA off (the data flag is `1A 06`'s business). */
  private setModeLegacy(rest: Uint8Array): Outcome {
    if (rest.length < 1 || rest.length > 2) return this.ng(Uint8Array.of(0x06, ...rest));
    return this.applyMode(this.selected, rest[0]!, false, rest[1]);
  }

  /** `26 <sel>` read; `26 <sel> <mode> <data> <fil>` set (research/hamlib.md §4.3). */
  private vfoMode(rest: Uint8Array): Outcome {
    const vfo = this.vfoBySelector(rest[0]);
    if (!vfo || (rest.length !== 1 && rest.length !== 3 && rest.length !== 4))
      return this.ng(Uint8Array.of(0x26, ...rest));
    if (rest.length === 1) return this.readMode([0x26, rest[0]!], vfo, true);
    const data = rest[2]!;
    if (data > 0x03) return this.ng(Uint8Array.of(0x26, ...rest));
    return this.applyMode(vfo, rest[1]!, data !== 0, rest[3]);
  }

  /** `1A 06`: DATA mode of the selected VFO, `<data> <data filter>` (data filter 00 when DATA is off). */
  private dataMode(args: Uint8Array): Outcome {
    const vfo = this.selected;
    const { mode } = this.rig.mode(vfo);
    const { name, data } = icomModeOf(mode);
    if (args.length === 0) {
      const body = [0x1a, 0x06, data ? 1 : 0, data ? this.filterNumber(vfo) : 0];
      return { body, kind: 'query', meaning: `get data mode → ${data ? 'on' : 'off'}` };
    }
    if (args.length > 2 || args[0]! > 0x03) return this.ng(Uint8Array.of(0x1a, 0x06, ...args));
    const on = args[0] !== 0;
    if (on === data) return { body: [OK], kind: 'set', meaning: `set data ${on ? 'on' : 'off'}` };
    const target = modeFromIcom(ICOM_MODE_BYTES[name], on, this.profile.modes);
    if (!target) return { body: [NG], kind: 'set', meaning: `${name} has no data mode` };
    return this.set(this.rig.setMode(vfo, target) === 'accepted', `set mode ${target}`);
  }

  /** `1A 03`: the selected VFO's filter width as an index (BCD). Never NG: Hamlib would stop asking for good. */
  private filterWidth(args: Uint8Array): Outcome {
    const vfo = this.selected;
    const { mode, passband } = this.rig.mode(vfo);
    const am = filterGroup(mode) === 'am';
    if (args.length === 0) {
      const index = indexFromWidth(this.width(mode, passband), am);
      return {
        body: [0x1a, 0x03, ...toBcdBigEndian(index, 1)],
        kind: 'query',
        meaning: `get filter width → ${widthFromIndex(index, am)} Hz`,
      };
    }
    const index = args.length === 1 ? fromBcdBigEndian(args) : undefined;
    if (index === undefined || index > (am ? 49 : 40)) return this.ng(Uint8Array.of(0x1a, 0x03, ...args));
    const group = filterGroup(mode);
    if (group === 'fm' || group === 'wfm') {
      // FM widths are the fixed FIL1–3 filters; the radio takes the command and keeps its filter.
      return { body: [OK], kind: 'set', meaning: 'set filter width (fixed in FM)' };
    }
    const hz = widthFromIndex(index, am);
    if (hz === this.width(mode, passband))
      return { body: [OK], kind: 'set', meaning: `set filter width ${hz} Hz` };
    return this.set(this.rig.setMode(vfo, mode, hz) === 'accepted', `set filter width ${hz} Hz`);
  }

  /** `07`: VFO mode, VFO A/B, A=B, A↔B, Main/Sub on the dual-receiver models. */
  private vfo(rest: Uint8Array): Outcome {
    if (rest.length === 0) return { body: [OK], kind: 'set', meaning: 'VFO mode' };
    if (rest.length !== 1) return this.ng(Uint8Array.of(0x07, ...rest));
    const sub = rest[0]!;
    const state = this.rig;
    const dual = this.profile.dual_receiver;
    if (sub === 0x00 || sub === 0x01 || (dual && (sub === 0xd0 || sub === 0xd1))) {
      const vfo: Vfo = sub === 0x00 || sub === 0xd0 ? 'VFOA' : 'VFOB';
      const label = sub >= 0xd0 ? (vfo === 'VFOA' ? 'Main' : 'Sub') : vfo;
      return this.set(this.rig.selectVfo(vfo) === 'accepted', `select ${label}`);
    }
    if (sub === 0xa0 || sub === 0xb0) {
      // A=B copies the selected VFO to the other; A↔B exchanges their frequency and mode.
      const from = state.vfo();
      const to = otherVfo(from);
      const a = { hz: state.freq(from), ...state.mode(from) };
      const b = { hz: state.freq(to), ...state.mode(to) };
      const writes = [this.rig.setFreq(to, a.hz), this.rig.setMode(to, a.mode, a.passband)];
      if (sub === 0xb0) writes.push(this.rig.setFreq(from, b.hz), this.rig.setMode(from, b.mode, b.passband));
      return this.set(
        writes.every((w) => w === 'accepted'),
        sub === 0xa0 ? 'VFO A=B' : 'exchange VFOs',
      );
    }
    if (dual && sub === 0xc0) return { body: [OK], kind: 'set', meaning: 'dual watch off' };
    return this.ng(Uint8Array.of(0x07, ...rest), 'unknown');
  }

  /** `0F`: split. On these radios the TX VFO in split is the unselected one. */
  private split(rest: Uint8Array): Outcome {
    const state = this.rig;
    if (rest.length === 0)
      return {
        body: [0x0f, state.split() ? 1 : 0],
        kind: 'query',
        meaning: `get split → ${state.split() ? 'on' : 'off'}`,
      };
    if (rest.length !== 1) return this.ng(Uint8Array.of(0x0f, ...rest));
    const sub = rest[0]!;
    if (sub === 0x00 || sub === 0x01) {
      const on = sub === 0x01;
      const tx = on ? otherVfo(state.vfo()) : state.vfo();
      if (on === state.split() && (!on || state.txVfo() === tx))
        return { body: [OK], kind: 'set', meaning: `split ${on ? 'on' : 'off'}` };
      return this.set(this.rig.setSplit(on, tx) === 'accepted', `split ${on ? 'on' : 'off'}`);
    }
    // Simplex is what the gateway always has; repeater duplex shifts are not emulated.
    if (sub === 0x10) return { body: [OK], kind: 'set', meaning: 'simplex' };
    return { body: [NG], kind: 'set', meaning: `duplex ${hex(rest)} is not emulated` };
  }

  private ptt(args: Uint8Array): Outcome {
    if (args.length === 0) {
      const on = this.rig.ptt();
      return { body: [0x1c, 0x00, on ? 1 : 0], kind: 'query', meaning: `get PTT → ${on ? 'TX' : 'RX'}` };
    }
    if (args.length !== 1 || args[0]! > 1) return this.ng(Uint8Array.of(0x1c, 0x00, ...args));
    const on = args[0] === 1;
    return this.set(this.rig.setPtt(on) === 'accepted', on ? 'transmit' : 'receive');
  }

  /** `18`: power status. Reads answer "on"; power on/off is not ours to do to a shared radio, so it is acknowledged and ignored. */
  private power(rest: Uint8Array): Outcome {
    if (rest.length === 0) return { body: [0x18, 0x01], kind: 'query', meaning: 'get power status → on' };
    if (rest.length === 1 && rest[0]! <= 1)
      return { body: [OK], kind: 'set', meaning: `power ${rest[0] ? 'on' : 'off'} (ignored)` };
    return this.ng(Uint8Array.of(0x18, ...rest));
  }

  /** `14 0A`: RF power, 0000–0255 of full power. */
  private rfPower(args: Uint8Array): Outcome {
    if (args.length === 0) {
      const raw = Math.round(this.rig.rfPower() * 255);
      return {
        body: [0x14, 0x0a, ...toBcdBigEndian(raw, 2)],
        kind: 'query',
        meaning: `get RF power → ${raw}/255`,
      };
    }
    const raw = args.length === 2 ? fromBcdBigEndian(args) : undefined;
    if (raw === undefined || raw > 255) return this.ng(Uint8Array.of(0x14, 0x0a, ...args));
    return this.set(this.rig.setRfPower(raw / 255) === 'accepted', `set RF power ${raw}/255`);
  }

  /** `15 xx`: meters, read only. */
  private meter(body: Uint8Array): Outcome {
    if (body.length !== 2) return this.table(body);
    const state = this.rig;
    const sub = body[1]!;
    let raw: number | undefined;
    let name = '';
    switch (sub) {
      case 0x02:
        raw = this.smeterRaw(state.ptt() ? -54 : state.strengthDb());
        name = 'S-meter';
        break;
      case 0x11:
        raw = state.ptt() ? this.powerMeterRaw(state.rfPower() * this.profile.max_power_w) : 0;
        name = 'power meter';
        break;
      case 0x12: // SWR 1.0:1, ALC and compression at rest: a matched antenna and a clean signal.
      case 0x13:
      case 0x14:
        raw = 0;
        name = sub === 0x12 ? 'SWR meter' : sub === 0x13 ? 'ALC meter' : 'COMP meter';
        break;
      case 0x15: {
        const supply = this.profile.supply_meters;
        raw = supply?.vd_raw;
        name = 'Vd meter';
        break;
      }
      case 0x16: {
        const supply = this.profile.supply_meters;
        raw = supply && (state.ptt() ? Math.round(state.rfPower() * supply.id_raw_full_power) : 0);
        name = 'Id meter';
        break;
      }
    }
    if (raw === undefined) return this.table(body);
    return { body: [0x15, sub, ...toBcdBigEndian(raw, 2)], kind: 'query', meaning: `get ${name} → ${raw}` };
  }

  private smeterRaw(db: number): number {
    return rawFor(this.profile.smeter, db);
  }

  private powerMeterRaw(watts: number): number {
    return rawFor(this.profile.power_meter, watts);
  }

  /**
   * The profile's table of what the radio answers beyond the canonical model: an exact read gets the
   * stored answer; a set with data of the answer's length is kept on this port and acknowledged;
   * an accepted prefix is acknowledged and ignored; anything else is NG at once.
   */
  private table(body: Uint8Array): Outcome {
    const key = hex(body);
    const known = this.portAnswers.get(key) ?? this.answers.get(key);
    if (known !== undefined) {
      const data = Buffer.from(known, 'hex');
      return { body: [...body, ...data], kind: 'query', meaning: `get ${key} → ${known}` };
    }
    for (const [query, answer] of this.answers) {
      if (key.startsWith(query) && key.length === query.length + answer.length) {
        this.portAnswers.set(query, key.slice(query.length));
        return { body: [OK], kind: 'set', meaning: `set ${query} ${key.slice(query.length)}` };
      }
    }
    if (this.profile.accept.some((pattern) => matchesPrefix(key, pattern))) {
      return { body: [OK], kind: 'set', meaning: `${key} (accepted)` };
    }
    return this.ng(body, 'unknown');
  }
}

/** `key` starts with `pattern` (`?` matches any hex digit) and carries data beyond it. */
function matchesPrefix(key: string, pattern: string): boolean {
  if (key.length <= pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '?' && pattern[i] !== key[i]) return false;
  }
  return true;
}

export function createIcomEmulator(options: EmulatorOptions<IcomProfile>): Emulator {
  return new IcomEmulator(options);
}
