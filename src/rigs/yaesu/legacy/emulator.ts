import { otherVfo } from '../../../model/rig.js';
import { droppedEvent, type Emulator, type EmulatorOptions, type FrameEvent } from '../../emulator.js';
import { decodeFreq, encodeFreq } from './bcd.js';
import { FiveByteFramer } from './framer.js';
import { DIG, defaultDigSubMode, digMode, digSubModeFor, modeByte, modeFromByte } from './modes.js';
import type { LegacyProfile } from './profile.js';

/** What one frame produced: the reply bytes (none: the radio stays silent), and how to report it. */
interface Outcome {
  reply?: number[];
  kind: FrameEvent['kind'];
  meaning: string;
}

const ACK = 0x00;
/** The non-zero ACK: the radio did not do it (the FT-817 sends it for PTT already in that state). */
const NAK = 0xf0;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * A Yaesu 5-byte CAT radio (FT-817, FT-818, FT-857, FT-897) on one port, as Hamlib 4.5.4's ft817/ft857/
 * ft897 backends expect it (research/hamlib.md §6): exact reply lengths (5 bytes for `03`, 1 for `E7`/
 * `F7`, 2 for `BB` and a keyed `BD`), a one-byte ACK after each set unless the profile turns it off, the
 * EEPROM bytes Hamlib reads for the VFO, split and DIG sub-mode kept consistent with the rig's state.
 * Frequencies have the radio's 10 Hz resolution. Unknown opcodes are ignored, as the radio ignores them.
 */
export class LegacyEmulator implements Emulator {
  private readonly framer: FiveByteFramer;
  private readonly profile: LegacyProfile;
  /**
   * The DIG sub-mode menu. The canonical model has no such thing, so it lives here; it follows the
   * backend's data modes (PKTUSB shows USER-U, RTTY shows RTTY) and is what a DIG set from this
   * client turns into.
   */
  private digSubMode: number;

  constructor(private readonly options: EmulatorOptions<LegacyProfile>) {
    this.profile = options.profile;
    this.framer = new FiveByteFramer({ gapMs: this.profile.resync_gap_ms });
    this.digSubMode = defaultDigSubMode(this.profile);
  }

  receive(bytes: Uint8Array, readAtMs?: number): void {
    const out: number[] = [];
    this.framer.push(
      bytes,
      {
        frame: (frame) => {
          const outcome = this.safeExecute(frame);
          if (outcome.reply) out.push(...outcome.reply);
          this.options.onFrame?.({
            request: frame,
            reply: Uint8Array.from(outcome.reply ?? []),
            kind: outcome.kind,
            meaning: outcome.meaning,
          });
        },
        dropped: (dropped) => this.options.onFrame?.(droppedEvent(dropped)),
      },
      readAtMs,
    );
    if (out.length > 0) this.options.write(Uint8Array.from(out));
  }

  reset(): void {
    this.framer.reset();
  }

  dropInput(): void {
    // The 5-byte CAT keeps nothing per client but the half frame.
    this.framer.reset();
  }

  stateChanged(): void {
    // The 5-byte CAT has no unsolicited output.
  }

  private get rig() {
    return this.options.rig;
  }

  private safeExecute(frame: Uint8Array): Outcome {
    try {
      return this.execute(frame);
    } catch {
      // Never let a bug in one frame take the port down; a radio that did not understand is silent.
      return { kind: 'malformed', meaning: 'internal error' };
    }
  }

  /** A set's answer: the ACK (or NAK when not done), or silence when the profile's radio sends none. */
  private set(ok: boolean, meaning: string): Outcome {
    const reply = this.profile.ack ? [ok ? ACK : NAK] : undefined;
    return { reply, kind: 'set', meaning: ok ? meaning : `${meaning} (refused)` };
  }

  /**
   * The 5-byte CAT opcodes (research/hamlib.md §6), by the fifth byte of a frame: the family's table.
   * An opcode not here is ignored, as the radio ignores it.
   */
  private static readonly OPCODES: Readonly<
    Record<number, (e: LegacyEmulator, frame: Uint8Array) => Outcome>
  > = {
    3: (e) => e.readFreqMode(),
    1: (e, frame) => e.setFrequency(frame),
    7: (e, frame) => e.setMode(frame[0] ?? 0),
    8: (e) => e.ptt(true),
    136: (e) => e.ptt(false),
    2: (e) => e.split(true),
    130: (e) => e.split(false),
    129: (e) => e.toggleVfo(),
    231: (e) => ({ reply: [e.rxStatus()], kind: 'query', meaning: 'get RX status' }),
    247: (e) => ({ reply: [e.txStatus()], kind: 'query', meaning: 'get TX status' }),
    187: (e, frame) => e.readEeprom(((frame[0] ?? 0) << 8) | (frame[1] ?? 0)),
    189: (e) => e.txMeters(),
    // Power on: Hamlib sends it after a wake-up frame and reads no answer; the radio is on.
    15: () => ({ kind: 'set', meaning: 'power on' }),
    // Power off is not ours to do to a shared radio: acknowledged and ignored.
    143: (e) => e.set(true, 'power off (ignored)'),
    // Lock, clarifier, repeater shift/offset, CTCSS/DCS: accepted, nothing catbridge holds.
    ...Object.fromEntries(
      [0x00, 0x80, 0x05, 0x85, 0xf5, 0x09, 0xf9, 0x0a, 0x0b, 0x0c].map((op) => [
        op,
        (e: LegacyEmulator) => e.set(true, `opcode ${op.toString(16).padStart(2, '0')} (accepted)`),
      ]),
    ),
  };

  private execute(frame: Uint8Array): Outcome {
    const op = frame[4] ?? 0;
    const run = LegacyEmulator.OPCODES[op];
    if (run) return run(this, frame);
    return { kind: 'unknown', meaning: `unknown opcode ${op.toString(16).padStart(2, '0')}: ${hex(frame)}` };
  }

  private setFrequency(frame: Uint8Array): Outcome {
    const hz = decodeFreq(frame);
    if (hz === undefined) return { ...this.set(false, 'set frequency'), kind: 'malformed' };
    const vfo = this.rig.vfo();
    if (hz === this.rig.freq(vfo)) return this.set(true, `set frequency ${hz} Hz`);
    return this.set(this.rig.setFreq(vfo, hz) === 'accepted', `set frequency ${hz} Hz`);
  }

  private ptt(on: boolean): Outcome {
    // Already in that state: the FT-817 answers F0, which Hamlib accepts for PTT.
    if (this.rig.ptt() === on)
      return {
        reply: this.profile.ack ? [NAK] : undefined,
        kind: 'set',
        meaning: `PTT already ${on ? 'on' : 'off'}`,
      };
    return this.set(this.rig.setPtt(on) === 'accepted', on ? 'transmit' : 'receive');
  }

  private split(on: boolean): Outcome {
    const rig = this.rig;
    if (rig.split() === on && (!on || rig.txVfo() === otherVfo(rig.vfo())))
      return this.set(true, `split ${on ? 'on' : 'off'}`);
    const tx = on ? otherVfo(rig.vfo()) : rig.vfo();
    return this.set(rig.setSplit(on, tx) === 'accepted', `split ${on ? 'on' : 'off'}`);
  }

  /** A/B toggle; in split the radio transmits on the other VFO, which is now the one just left. */
  private toggleVfo(): Outcome {
    const from = this.rig.vfo();
    const split = this.rig.split(); // read before the write: the read may be live
    const to = otherVfo(from);
    let ok = this.rig.selectVfo(to) === 'accepted';
    if (ok && split) ok = this.rig.setSplit(true, from) === 'accepted';
    return this.set(ok, `toggle VFO → ${to}`);
  }

  /** TX metering: two bytes (PWR|ALC, SWR|MOD) while keyed, one byte in receive. */
  private txMeters(): Outcome {
    return this.rig.ptt()
      ? { reply: [(this.powerBars() << 4) | 0x00, 0x00], kind: 'query', meaning: 'get TX meters' }
      : { reply: [0x00], kind: 'query', meaning: 'get TX meters (receive)' };
  }

  /** `03`: 4 BCD bytes of the current VFO's frequency (10 Hz) and its mode byte. */
  private readFreqMode(): Outcome {
    const state = this.rig;
    const { mode } = state.mode(state.vfo());
    this.digSubMode = digSubModeFor(this.profile, mode, this.digSubMode);
    const hz = state.freq(state.vfo());
    return {
      reply: [...encodeFreq(hz), modeByte(mode)],
      kind: 'query',
      meaning: `get frequency and mode → ${Math.floor(hz / 10) * 10} Hz ${mode}`,
    };
  }

  /**
   * `07`: set mode. DIG (`0A`) keeps the sub-mode the radio has; a Hamlib PKTUSB and a Hamlib RTTY are the
   * same `0A` on the wire, so which one the client meant cannot be known (research/hamlib.md §6.1).
   */
  private setMode(p1: number): Outcome {
    const state = this.rig;
    const { mode: current } = state.mode(state.vfo());
    let mode = modeFromByte(p1);
    if (p1 === DIG) {
      this.digSubMode = digSubModeFor(this.profile, current, this.digSubMode);
      mode = modeByte(current) === DIG ? current : digMode(this.profile, this.digSubMode);
    }
    if (!mode) return { ...this.set(false, `set mode ${p1.toString(16)}`), kind: 'malformed' };
    if (mode === current) return this.set(true, `set mode ${mode}`);
    return this.set(this.rig.setMode(state.vfo(), mode, 0) === 'accepted', `set mode ${mode}`);
  }

  /** `E7`: b7 squelch closed (0: open), b3-0 S-meter (9 = S9; Hamlib: 6 dB per unit below, 10 above). */
  private rxStatus(): number {
    const db = this.rig.strengthDb();
    const units = Math.round(9 + (db > 0 ? db / 10 : db / 6));
    return Math.max(0, Math.min(15, units));
  }

  /** `F7`: `0xFF` in receive; keyed: b7 = 0, b5 split, b3-0 power bars. */
  private txStatus(): number {
    const state = this.rig;
    if (!state.ptt()) return 0xff;
    return (state.split() ? 0x20 : 0x00) | this.powerBars();
  }

  private powerBars(): number {
    return Math.max(0, Math.min(15, Math.round(this.rig.rfPower() * 10)));
  }

  /** `BB`: the two EEPROM bytes at an address and the next; the ones Hamlib reads follow the state. */
  private readEeprom(address: number): Outcome {
    return {
      reply: [this.eepromByte(address), this.eepromByte(address + 1)],
      kind: 'query',
      meaning: `read EEPROM 0x${address.toString(16).padStart(4, '0')}`,
    };
  }

  private eepromByte(address: number): number {
    const { eeprom } = this.profile;
    const state = this.rig;
    if (address === eeprom.vfo) return state.vfo() === 'VFOB' ? 0x01 : 0x00;
    if (address === eeprom.split) return state.split() ? 0x80 : 0x00;
    if (address === eeprom.dig_mode) {
      this.digSubMode = digSubModeFor(this.profile, state.mode(state.vfo()).mode, this.digSubMode);
      return (this.digSubMode & 0x07) << 5;
    }
    return 0x00;
  }
}

export function createLegacyEmulator(options: EmulatorOptions<LegacyProfile>): Emulator {
  return new LegacyEmulator(options);
}
