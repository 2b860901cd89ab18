import { otherVfo, transmitVfo, type Vfo } from '../../../model/rig.js';
import type { Emulator, EmulatorOptions } from '../../emulator.js';
import { AnswerTable } from '../../semicolon/answer-table.js';
import {
  type CommandOutcome,
  digits,
  findCommand,
  malformed,
  REJECT,
  receiveCommands,
  type SemicolonCommandTable,
} from '../../semicolon/dialect.js';
import { SemicolonFramer } from '../../semicolon/framer.js';
import { AutoInformation, powerStatus, readOnly, rfPowerAnswer } from '../../semicolon/shared-commands.js';
import { infoAnswer } from './format.js';
import { clockAnswer, meterRaw, smeterRaw } from './levels.js';
import { modeChar, modeFromChar, widthHz, widthIndex } from './modes.js';
import type { NewcatCapability, NewcatProfile } from './profile.js';

const encoder = new TextEncoder();

/**
 * A Yaesu newcat radio (FT-991A, FTDX10, FT-891, FTDX101D, …) on one port, as Hamlib 4.5.4's newcat
 * backend expects it (research/hamlib.md §5): queries answered from the rig's state at once and in order,
 * one answer per query; sets silent. Hamlib writes most sets with their read-back in the same write
 * (`MD02;MD0;`, `FB007076000;FB;`) and compares the `FB` read-back exactly, so a set is applied before the
 * next command of the chunk is answered. A refused set answers `?;` (what the radio says to a set it
 * cannot do), and its read-back then shows the unchanged value. Unknown commands answer `?;`.
 */
export class NewcatEmulator implements Emulator {
  // Newcat commands are shorter than Kenwood's: a lower cap.
  private readonly framer = new SemicolonFramer({ maxFrameBytes: 48 });
  private readonly profile: NewcatProfile;
  private readonly has = (capability: NewcatCapability) => this.profile[capability];
  // Per-client protocol state (DESIGN.md: a port's own business), cleared by reset().
  private readonly autoInfo = new AutoInformation(1);
  private narrow: [boolean, boolean] = [false, false];
  private readonly table: AnswerTable;

  constructor(private readonly options: EmulatorOptions<NewcatProfile>) {
    this.profile = options.profile;
    this.table = new AnswerTable(this.profile.answers, this.profile.silent_sets);
  }

  receive(bytes: Uint8Array): void {
    receiveCommands(this.framer, bytes, (command) => this.safeExecute(command), this.options);
  }

  reset(): void {
    this.framer.reset();
    this.autoInfo.reset();
    this.narrow = [false, false];
    this.table.reset();
  }

  dropInput(): void {
    this.framer.reset();
  }

  stateChanged(): void {
    // Newcat AI1 sends IF on changes; only when the port allows it and the client asked for it.
    const rig = this.rig;
    const info = this.autoInfo.unsolicited(this.options.port.autoInfo, () =>
      infoAnswer('IF', rig, rig.vfo()),
    );
    if (info) this.options.write(encoder.encode(info));
  }

  private get rig() {
    return this.options.rig;
  }

  private safeExecute(command: string): CommandOutcome {
    if (!this.rig.online()) {
      // The radio behind the port is gone past the grace period: `?;` rather than old state.
      return { reply: REJECT, kind: 'unavailable', meaning: `${command}: radio unreachable` };
    }
    try {
      return this.execute(command);
    } catch {
      // Never let a bug in one command take the port down: the client sees a busy radio.
      return { reply: REJECT, kind: 'malformed', meaning: 'internal error' };
    }
  }

  /**
   * The newcat family's commands (research/hamlib.md §5), as Hamlib's own `valid_commands[]` lists
   * them per model: what every model here has, and what a profile's named capability switches on.
   */
  private static readonly COMMANDS: SemicolonCommandTable<NewcatEmulator, NewcatCapability> = {
    ID: { run: (e, args, c) => readOnly(c, args, () => `ID${e.profile.id}`, 'identify') },
    IF: {
      run: (e, args, c) => readOnly(c, args, () => infoAnswer('IF', e.rig, e.rig.vfo()), 'get status (IF)'),
    },
    OI: {
      run: (e, args, c) =>
        readOnly(c, args, () => infoAnswer('OI', e.rig, otherVfo(e.rig.vfo())), 'get other VFO status (OI)'),
    },
    FA: { run: (e, args) => e.frequency('VFOA', args) },
    FB: { run: (e, args) => e.frequency('VFOB', args) },
    MD: { run: (e, args) => e.mode(args) },
    SH: { run: (e, args) => e.width(args) },
    NA: { run: (e, args) => e.narrowFilter(args) },
    FT: { run: (e, args) => e.transmitVfo(args) },
    ST: { run: (e, args) => e.splitCommand(args) },
    TX: { run: (e, args) => e.transmit(args) },
    AB: { run: (e, args, c) => (args ? malformed(c) : e.copyVfo('AB')) },
    BA: { run: (e, args, c) => (args ? malformed(c) : e.copyVfo('BA')) },
    SV: { run: (e, args, c) => (args ? malformed(c) : e.copyVfo('SV')) },
    // Band select: the real radio recalls its band stack; Hamlib writes the exact frequency right after
    // (research/hamlib.md §5.4), so the band memory is not emulated and nothing changes here.
    BS: {
      run: (_e, args, c) =>
        /^\d{2}$/.test(args) ? { kind: 'set', meaning: `band select ${args}` } : malformed(c),
    },
    PS: { run: (_e, args) => powerStatus(args) },
    AI: { run: (e, args) => e.autoInfo.command(args) },
    PC: { run: (e, args) => e.rfPower(args) },
    SM: { run: (e, args, c) => e.smeter(c, args) },
    RM: { run: (e, args) => e.meter(args) },
    VS: { needs: 'vfo_select', run: (e, args) => e.selectVfo(args) },
    DT: { needs: 'clock', run: (e, args) => e.clock(args) },
  };

  private execute(command: string): CommandOutcome {
    const found = findCommand(NewcatEmulator.COMMANDS, command, this.has, this.profile.lacks);
    return found ? found.entry.run(this, found.args, command) : this.table.answer(command);
  }

  private set(ok: boolean, meaning: string): CommandOutcome {
    return ok ? { kind: 'set', meaning } : { reply: REJECT, kind: 'set', meaning: `${meaning} (refused)` };
  }

  /**
   * The VFO a `P1` (0 Main / 1 Sub) means. With VS the sides are VFO A and B; without it the radio has one
   * side, the current VFO, and `1` does not exist.
   */
  private side(p1: string): Vfo | undefined {
    if (this.profile.vfo_select) return p1 === '0' ? 'VFOA' : p1 === '1' ? 'VFOB' : undefined;
    return p1 === '0' ? this.rig.vfo() : undefined;
  }

  private frequency(vfo: Vfo, args: string): CommandOutcome {
    const label = vfo === 'VFOA' ? 'A' : 'B';
    if (!args) {
      const hz = this.rig.freq(vfo);
      return {
        reply: `F${label}${digits(hz, 9)}`,
        kind: 'query',
        meaning: `get VFO ${label} frequency → ${hz} Hz`,
      };
    }
    if (!/^\d{9}$/.test(args)) return malformed(`F${label}${args}`);
    const hz = Number(args);
    return this.set(this.rig.setFreq(vfo, hz) === 'accepted', `set VFO ${label} frequency ${hz} Hz`);
  }

  private mode(args: string): CommandOutcome {
    const vfo = this.side(args.slice(0, 1));
    if (!vfo || args.length > 2) return malformed(`MD${args}`);
    const current = this.rig.mode(vfo).mode;
    if (args.length === 1) {
      return { reply: `MD${args}${modeChar(current)}`, kind: 'query', meaning: `get mode → ${current}` };
    }
    const mode = modeFromChar(this.profile, args.slice(1));
    if (!mode)
      return {
        reply: REJECT,
        kind: 'malformed',
        meaning: `mode ${args.slice(1)} does not exist on this radio`,
      };
    if (mode === current) return { kind: 'set', meaning: `set mode ${mode}` };
    // A new mode takes the radio's default filter for it (passband 0), as a mode key press does.
    return this.set(this.rig.setMode(vfo, mode, 0) === 'accepted', `set mode ${mode}`);
  }

  /** `SH`: the filter width index, in this model's format (research/hamlib.md §5.2, widths_*.txt). */
  private width(args: string): CommandOutcome {
    const vfo = this.side(args.slice(0, 1));
    if (!vfo) return malformed(`SH${args}`);
    const p1 = args.slice(0, 1);
    const p2 =
      this.profile.width_format === 'SH0nn' ? '' : this.profile.width_format === 'SH00nn' ? '0' : '1';
    const { mode, passband } = this.rig.mode(vfo);
    if (args.length === 1) {
      const index = widthIndex(this.profile, mode, passband);
      return {
        reply: `SH${p1}${p2}${digits(index, 2)}`,
        kind: 'query',
        meaning: `get width → index ${index}`,
      };
    }
    // Hamlib 4.5.4 writes some SH00nn radios' widths in the short SH0nn form (the FT-710: newcat.c has
    // no branch for it), so a radio whose P2 is a fixed 0 takes the form without it too.
    const match = new RegExp(`^[01]${p2 === '0' ? '0?' : p2}(\\d{2})$`).exec(args);
    if (!match) return malformed(`SH${args}`);
    const hz = widthHz(this.profile, mode, Number(match[1]));
    if (hz === undefined) return malformed(`SH${args}`);
    if (hz === passband) return { kind: 'set', meaning: `set width ${hz} Hz` };
    return this.set(this.rig.setMode(vfo, mode, hz) === 'accepted', `set width ${hz} Hz`);
  }

  /** `NA`: the narrow key; read back on this port (the canonical passband is what `SH` sets). */
  private narrowFilter(args: string): CommandOutcome {
    const vfo = this.side(args.slice(0, 1));
    if (!vfo) return malformed(`NA${args}`);
    const side = vfo === 'VFOB' && this.profile.vfo_select ? 1 : 0;
    if (args.length === 1) {
      return { reply: `NA${args}${this.narrow[side] ? 1 : 0}`, kind: 'query', meaning: 'get narrow' };
    }
    if (!/^[01][01]$/.test(args)) return malformed(`NA${args}`);
    this.narrow[side] = args[1] === '1';
    return { kind: 'set', meaning: `narrow ${this.narrow[side] ? 'on' : 'off'}` };
  }

  /**
   * `FT`: the TX VFO. Answers `FT0`/`FT1`; takes `FT0`/`FT1` and the non-toggling `FT2` (TX on A) /
   * `FT3` (TX on B) that Hamlib writes. Split is on when the TX VFO differs from the receive VFO.
   */
  private transmitVfo(args: string): CommandOutcome {
    const state = this.rig;
    if (!args)
      return { reply: `FT${transmitVfo(state) === 'VFOA' ? 0 : 1}`, kind: 'query', meaning: 'get TX VFO' };
    if (!/^[0-3]$/.test(args)) return malformed(`FT${args}`);
    const tx: Vfo = Number(args) % 2 === 0 ? 'VFOA' : 'VFOB';
    const split = tx !== state.vfo();
    if (split === state.split() && (!split || tx === state.txVfo()))
      return { kind: 'set', meaning: `set TX VFO ${tx}` };
    return this.set(
      this.rig.setSplit(split, tx) === 'accepted',
      `set TX VFO ${tx}${split ? ' (split on)' : ''}`,
    );
  }

  /** `ST`: split on/off (FT-891 and FTDX101D, which Hamlib drives with `ST` rather than `FT`). */
  private splitCommand(args: string): CommandOutcome {
    const state = this.rig;
    if (!args) return { reply: `ST${state.split() ? 1 : 0}`, kind: 'query', meaning: 'get split' };
    if (!/^[0-2]$/.test(args)) return malformed(`ST${args}`);
    const on = args !== '0'; // ST2: split with TX 5 kHz up on the real radio; here: split on
    const tx = on ? otherVfo(state.vfo()) : state.vfo();
    if (on === state.split() && (!on || tx === state.txVfo()))
      return { kind: 'set', meaning: `split ${on ? 'on' : 'off'}` };
    return this.set(this.rig.setSplit(on, tx) === 'accepted', `split ${on ? 'on' : 'off'}`);
  }

  private selectVfo(args: string): CommandOutcome {
    const state = this.rig;
    if (!args) return { reply: `VS${state.vfo() === 'VFOA' ? 0 : 1}`, kind: 'query', meaning: 'get VFO' };
    if (args !== '0' && args !== '1') return malformed(`VS${args}`);
    const vfo: Vfo = args === '0' ? 'VFOA' : 'VFOB';
    if (vfo === state.vfo()) return { kind: 'set', meaning: `select ${vfo}` };
    return this.set(this.rig.selectVfo(vfo) === 'accepted', `select ${vfo}`);
  }

  /** `TX`: answers `TX0` (receive) or `TX1` (keyed by CAT); `TX1`/`TX2` key, `TX0` unkeys. */
  private transmit(args: string): CommandOutcome {
    if (!args) return { reply: `TX${this.rig.ptt() ? 1 : 0}`, kind: 'query', meaning: 'get PTT' };
    if (!/^[0-2]$/.test(args)) return malformed(`TX${args}`);
    const on = args !== '0';
    return this.set(this.rig.setPtt(on) === 'accepted', on ? 'transmit' : 'receive');
  }

  /**
   * `AB` copies VFO A to B (frequency and mode), `BA` B to A, `SV` swaps them. Hamlib uses `AB` to give
   * the TX VFO a mode (`AB;MD02;FB007076000;`), and the FT-891 backend sends it after every mode set.
   */
  private copyVfo(name: 'AB' | 'BA' | 'SV'): CommandOutcome {
    const state = this.rig;
    const a = { freq: state.freq('VFOA'), ...state.mode('VFOA') };
    const b = { freq: state.freq('VFOB'), ...state.mode('VFOB') };
    const writes: [Vfo, typeof a][] =
      name === 'AB'
        ? [['VFOB', a]]
        : name === 'BA'
          ? [['VFOA', b]]
          : [
              ['VFOA', b],
              ['VFOB', a],
            ];
    let ok = true;
    for (const [vfo, from] of writes) {
      const to = vfo === 'VFOA' ? a : b;
      if (to.freq !== from.freq) ok = this.rig.setFreq(vfo, from.freq) === 'accepted' && ok;
      if (to.mode !== from.mode || to.passband !== from.passband)
        ok = this.rig.setMode(vfo, from.mode, from.passband) === 'accepted' && ok;
    }
    const meaning = name === 'AB' ? 'copy VFO A to B' : name === 'BA' ? 'copy VFO B to A' : 'swap VFOs';
    return this.set(ok, meaning);
  }

  /** `PC`: RF power in watts, 3 digits. */
  private rfPower(args: string): CommandOutcome {
    if (!args) return rfPowerAnswer(this.rig, this.profile.max_power_w, 3);
    if (!/^\d{3}$/.test(args)) return malformed(`PC${args}`);
    const watts = Number(args);
    return this.set(
      this.rig.setRfPower(watts / this.profile.max_power_w) === 'accepted',
      `set RF power ${watts} W`,
    );
  }

  /** `SM0`: the S-meter, 0-255 on this radio's scale. */
  private smeter(command: string, args: string): CommandOutcome {
    if (args !== '0') return this.table.answer(command);
    const raw = smeterRaw(this.profile, this.rig.strengthDb());
    return { reply: `SM0${digits(raw, 3)}`, kind: 'query', meaning: 'get S-meter' };
  }

  private meter(args: string): CommandOutcome {
    if (!/^[0-9]$/.test(args)) return malformed(`RM${args}`);
    const raw = meterRaw(this.profile, this.rig, Number(args));
    return { reply: `RM${args}${raw}`, kind: 'query', meaning: `get meter ${args}` };
  }

  /** `DT`: the radio's clock, answered from the host's (UTC); setting it changes nothing catbridge holds. */
  private clock(args: string): CommandOutcome {
    if (args === '0' || args === '1' || args === '2')
      return { reply: clockAnswer(args, new Date()), kind: 'query', meaning: 'get clock' };
    return /^[0-2][+\d]/.test(args) ? { kind: 'set', meaning: `set clock ${args}` } : malformed(`DT${args}`);
  }
}

export function createNewcatEmulator(options: EmulatorOptions<NewcatProfile>): Emulator {
  return new NewcatEmulator(options);
}
