import type { Vfo } from '../../model/rig.js';
import type { Emulator, EmulatorOptions } from '../emulator.js';
import { AnswerTable } from '../semicolon/answer-table.js';
import {
  type CommandOutcome,
  digits,
  findCommand,
  malformed,
  REJECT,
  receiveCommands,
  type SemicolonCommandTable,
} from '../semicolon/dialect.js';
import { SemicolonFramer } from '../semicolon/framer.js';
import { AutoInformation, powerStatus, readOnly, rfPowerAnswer } from '../semicolon/shared-commands.js';
import { ifAnswer, smeterRaw, vfoDigit } from './format.js';
import { MAIN_SUB_COMMANDS } from './main-sub-commands.js';
import { baseOf, isDataMode, K3_FSK_D, modeDigit, modeFromDigit, withDataFlag } from './modes.js';
import { type KenwoodCapability, type KenwoodProfile, kenwoodCapabilities } from './profile.js';
import { ZZ_COMMANDS, type ZzHost } from './zz-commands.js';

/** An `ID;` this soon after a refused set is Hamlib's verify of it (the K3 sends it 10 ms later). */
const VERIFY_WINDOW_MS = 100;
const encoder = new TextEncoder();
/** Where a ZZ program's receive filter starts until a client moves it (`ZZFL`), in Hz. */
const ZZ_FILTER_LOW_HZ = 100;

/**
 * A Kenwood-family radio (TS-2000, TS-590SG, TS-480, Elecraft K3, …) on one port, as Hamlib 4.5.4's
 * backends for these models expect it (research/hamlib.md §3): queries answered from the rig's state
 * at once and in order, sets silent (Hamlib verifies them with a trailing `ID;`), `?;` for what the
 * radio does not know.
 */
export class KenwoodEmulator implements Emulator, ZzHost {
  private readonly framer = new SemicolonFramer({ maxFrameBytes: 64 });
  readonly profile: KenwoodProfile;
  private readonly capabilities: ReadonlySet<KenwoodCapability>;
  private readonly has = (capability: KenwoodCapability) => this.capabilities.has(capability);
  // Per-client protocol state (DESIGN.md: a port's own business), cleared by reset().
  private readonly autoInfo = new AutoInformation(4);
  private k2Mode = 0;
  private k3Mode = 0;
  private k3SubMode = 0;
  private readonly table: AnswerTable;
  zzFilterLowHz = ZZ_FILTER_LOW_HZ;
  /** When this port's last set was refused: Hamlib's verifying `ID;` right after it is refused too. */
  private refusedAt: number | null = null;
  /** When the chunk being handled was read (the port's clock). */
  private now = 0;

  constructor(private readonly options: EmulatorOptions<KenwoodProfile>) {
    this.profile = options.profile;
    this.capabilities = kenwoodCapabilities(this.profile);
    this.table = new AnswerTable(this.profile.answers, this.profile.silent_sets);
  }

  receive(bytes: Uint8Array, readAtMs: number = performance.now()): void {
    this.now = readAtMs;
    receiveCommands(this.framer, bytes, (command) => this.safeExecute(command), this.options);
  }

  reset(): void {
    this.framer.reset();
    this.autoInfo.reset();
    this.k2Mode = 0;
    this.k3Mode = 0;
    this.k3SubMode = 0;
    this.table.reset();
    this.zzFilterLowHz = ZZ_FILTER_LOW_HZ;
    this.refusedAt = null;
  }

  dropInput(): void {
    this.framer.reset();
  }

  stateChanged(): void {
    // Unsolicited IF only when the port allows it and the client asked for it (AI1/AI2).
    const info = this.autoInfo.unsolicited(this.options.port.autoInfo, () =>
      ifAnswer(this.profile, this.rig),
    );
    if (info) this.options.write(encoder.encode(info));
  }

  private safeExecute(command: string): CommandOutcome {
    if (!this.rig.online()) {
      // The radio behind the port is gone past the grace period: say so rather than replay old state.
      return { reply: REJECT, kind: 'unavailable', meaning: `${command}: radio unreachable` };
    }
    if (command === 'ID' && this.refusedAt !== null && this.now - this.refusedAt <= VERIFY_WINDOW_MS) {
      // Hamlib verifies a set with the `ID;` it sends right after: refusing that too makes Hamlib
      // retry and then report the error (a `?;` to the set alone reads as success).
      this.refusedAt = null;
      return { reply: REJECT, kind: 'set', meaning: 'identify (verify of a refused set: refused)' };
    }
    try {
      return this.execute(command);
    } catch {
      // Never let a bug in one command take the port down: the client sees a busy radio.
      return { reply: REJECT, kind: 'malformed', meaning: 'internal error' };
    }
  }

  /**
   * The Kenwood family's commands (research/hamlib.md §3): what every model has, and what a profile's
   * named capability switches on. Elecraft's `MD$`/`BW$` are the sub receiver's (VFO B) mode and width.
   */
  private static readonly COMMANDS: SemicolonCommandTable<KenwoodEmulator, KenwoodCapability> = {
    ...ZZ_COMMANDS,
    ...MAIN_SUB_COMMANDS,
    ID: { run: (e, args, c) => readOnly(c, args, () => `ID${e.profile.id}`, 'identify') },
    IF: { run: (e, args, c) => readOnly(c, args, () => ifAnswer(e.profile, e.rig), 'get status (IF)') },
    FA: { run: (e, args) => e.frequency('VFOA', args) },
    FB: { run: (e, args) => e.frequency('VFOB', args) },
    FR: { run: (e, args) => e.receiveVfo(args) },
    FT: { run: (e, args) => e.transmitVfo(args) },
    MD: { run: (e, args) => e.mode(e.rig.vfo(), args) },
    TX: { run: (e, args, c) => (/^[0-2]?$/.test(args) ? e.ptt(true) : malformed(c)) },
    RX: { run: (e, args, c) => (args ? malformed(c) : e.ptt(false)) },
    PS: { run: (_e, args) => powerStatus(args) },
    AI: { run: (e, args) => e.autoInfo.command(args) },
    PC: { run: (e, args) => e.rfPower(args) },
    SM: { run: (e, _args, c) => e.smeter(c) },
    RM: { run: (e, args) => e.meters(args) },
    SA: { needs: 'satellite', run: (e, args) => e.satellite(args) },
    DA: { needs: 'data_flag', run: (e, args) => e.dataFlag(args) },
    DT: { needs: 'data_submode', run: (e, args) => e.k3DataSubMode(args) },
    FW: { needs: 'filter_fw', run: (e, args) => e.filterWidth(args) },
    BW: { needs: 'filter_bw', run: (e, args) => e.bandwidth(e.rig.vfo(), args) },
    MD$: { needs: 'sub_receiver_dollar', run: (e, args) => e.mode('VFOB', args) },
    BW$: { needs: 'sub_receiver_dollar', run: (e, args) => e.bandwidth('VFOB', args) },
    K2: { needs: 'extension_levels', run: (e, args) => e.elecraftMode('K2', args) },
    K3: { needs: 'extension_levels', run: (e, args) => e.elecraftMode('K3', args) },
    TQ: {
      needs: 'tx_query',
      run: (e, args, c) => readOnly(c, args, () => `TQ${e.rig.ptt() ? 1 : 0}`, 'get TX'),
    },
    PO: { needs: 'power_output', run: (e, args, c) => (args ? malformed(c) : e.powerOutput()) },
    BG: { needs: 'bar_graph', run: (e, args, c) => (args ? malformed(c) : e.barGraph()) },
  };

  private execute(command: string): CommandOutcome {
    const found = findCommand(KenwoodEmulator.COMMANDS, command, this.has, this.profile.lacks);
    return found ? found.entry.run(this, found.args, command) : this.table.answer(command);
  }

  get rig() {
    return this.options.rig;
  }

  set(ok: boolean, meaning: string): CommandOutcome {
    if (ok) return { kind: 'set', meaning };
    // A refused write answers like a busy radio, and so does the `ID;` that verifies it.
    this.refusedAt = this.now;
    return { reply: REJECT, kind: 'set', meaning: `${meaning} (refused)` };
  }

  frequency(vfo: Vfo, args: string, prefix = vfo === 'VFOA' ? 'FA' : 'FB'): CommandOutcome {
    const label = vfo === 'VFOA' ? 'A' : 'B';
    if (!args) {
      const hz = this.rig.freq(vfo);
      return {
        reply: `${prefix}${digits(hz, 11)}`,
        kind: 'query',
        meaning: `get VFO ${label} frequency → ${hz} Hz`,
      };
    }
    if (!/^\d{1,11}$/.test(args)) return malformed(`${prefix}${args}`);
    const hz = Number(args);
    return this.set(this.rig.setFreq(vfo, hz) === 'accepted', `set VFO ${label} frequency ${hz} Hz`);
  }

  /** `FR`: the receive VFO. On these radios choosing the RX VFO also makes it the TX VFO (split off). */
  private receiveVfo(args: string): CommandOutcome {
    const state = this.rig;
    if (!args) return { reply: `FR${vfoDigit(state.vfo())}`, kind: 'query', meaning: 'get RX VFO' };
    if (args !== '0' && args !== '1') return malformed(`FR${args}`);
    const vfo: Vfo = args === '0' ? 'VFOA' : 'VFOB';
    const ok = this.rig.selectVfo(vfo) === 'accepted' && this.rig.setSplit(false, vfo) === 'accepted';
    return this.set(ok, `set RX VFO ${vfo}`);
  }

  /** `FT`: the transmit VFO; split is on when it differs from the receive VFO. */
  private transmitVfo(args: string): CommandOutcome {
    const state = this.rig;
    if (!args) {
      const tx = state.split() ? state.txVfo() : state.vfo();
      return { reply: `FT${vfoDigit(tx)}`, kind: 'query', meaning: 'get TX VFO' };
    }
    if (args !== '0' && args !== '1') return malformed(`FT${args}`);
    const tx: Vfo = args === '0' ? 'VFOA' : 'VFOB';
    const ok = this.rig.setSplit(tx !== state.vfo(), tx) === 'accepted';
    return this.set(ok, `set TX VFO ${tx}${tx !== state.vfo() ? ' (split on)' : ''}`);
  }

  private mode(vfo: Vfo, args: string): CommandOutcome {
    const prefix = vfo === 'VFOB' && this.has('sub_receiver_dollar') ? 'MD$' : 'MD';
    const current = this.rig.mode(vfo).mode;
    if (!args)
      return {
        reply: `${prefix}${modeDigit(this.profile, current)}`,
        kind: 'query',
        meaning: `get mode → ${current}`,
      };
    if (args.length !== 1) return malformed(`${prefix}${args}`);
    const mode = modeFromDigit(this.profile, args, this.k3SubMode);
    if (!mode)
      return { reply: REJECT, kind: 'malformed', meaning: `mode ${args} does not exist on this radio` };
    if (mode === current) return { kind: 'set', meaning: `set mode ${mode}` };
    // A new mode takes the radio's default filter for it (passband 0), as a mode key press does.
    return this.set(this.rig.setMode(vfo, mode, 0) === 'accepted', `set mode ${mode}`);
  }

  private dataFlag(args: string): CommandOutcome {
    const state = this.rig;
    const current = state.mode(state.vfo()).mode;
    if (!args) return { reply: `DA${isDataMode(current) ? 1 : 0}`, kind: 'query', meaning: 'get data mode' };
    if (args !== '0' && args !== '1') return malformed(`DA${args}`);
    const mode = withDataFlag(current, args === '1');
    if (mode === current) return { kind: 'set', meaning: `set data ${args === '1' ? 'on' : 'off'}` };
    return this.set(this.rig.setMode(state.vfo(), mode) === 'accepted', `set mode ${mode}`);
  }

  /** K3 `DT`: DATA sub-mode; FSK D (2) is RTTY, the others are data modes (research/hamlib.md §3.7). */
  private k3DataSubMode(args: string): CommandOutcome {
    const state = this.rig;
    const current = state.mode(state.vfo()).mode;
    if (!args) {
      const shown = current === 'RTTY' || current === 'RTTYR' ? K3_FSK_D : this.k3SubMode;
      return { reply: `DT${shown}`, kind: 'query', meaning: 'get data sub-mode' };
    }
    if (!/^[0-3]$/.test(args)) return malformed(`DT${args}`);
    this.k3SubMode = Number(args);
    const reversed = current === 'PKTLSB' || current === 'RTTYR';
    if (!(isDataMode(current) || current === 'RTTY' || current === 'RTTYR')) {
      return { kind: 'set', meaning: `set data sub-mode ${args}` };
    }
    const fsk = this.k3SubMode === K3_FSK_D;
    const mode = fsk ? (reversed ? 'RTTYR' : 'RTTY') : reversed ? 'PKTLSB' : 'PKTUSB';
    if (mode === current) return { kind: 'set', meaning: `set data sub-mode ${args}` };
    return this.set(this.rig.setMode(state.vfo(), mode) === 'accepted', `set mode ${mode}`);
  }

  /** TS-480 `FW`: SSB filters are codes (0 = 2400, 1 = 500, 2 = 270 Hz); CW/FSK widths are Hz (§3.6). */
  private filterWidth(args: string): CommandOutcome {
    const state = this.rig;
    const { mode, passband } = state.mode(state.vfo());
    const ssb = ['USB', 'LSB'].includes(baseOf(mode));
    const cwLike = ['CW', 'CWR', 'RTTY', 'RTTYR'].includes(mode);
    if (!args) {
      let value = 0;
      if (ssb) value = passband > 0 && passband <= 270 ? 2 : passband > 0 && passband <= 500 ? 1 : 0;
      else if (cwLike) value = passband || 500;
      return { reply: `FW${digits(value, 4)}`, kind: 'query', meaning: 'get filter width' };
    }
    if (!/^\d{4}$/.test(args)) return malformed(`FW${args}`);
    const value = Number(args);
    let hz: number | undefined;
    if (ssb) hz = [2400, 500, 270][value];
    else if (cwLike) hz = value;
    if (hz === undefined || hz === passband) return { kind: 'set', meaning: `set filter width ${args}` };
    return this.set(this.rig.setMode(state.vfo(), mode, hz) === 'accepted', `set filter width ${hz} Hz`);
  }

  /** K3 `BW`/`BW$`: the filter width in 10 Hz units. */
  private bandwidth(vfo: Vfo, args: string): CommandOutcome {
    const prefix = vfo === 'VFOB' && this.has('sub_receiver_dollar') ? 'BW$' : 'BW';
    const { mode, passband } = this.rig.mode(vfo);
    if (!args) {
      return {
        reply: `${prefix}${digits((passband || 2400) / 10, 4)}`,
        kind: 'query',
        meaning: 'get filter width',
      };
    }
    if (!/^\d{4}$/.test(args)) return malformed(`${prefix}${args}`);
    const hz = Number(args) * 10;
    if (hz === passband) return { kind: 'set', meaning: `set filter width ${hz} Hz` };
    return this.set(this.rig.setMode(vfo, mode, hz) === 'accepted', `set filter width ${hz} Hz`);
  }

  ptt(on: boolean): CommandOutcome {
    return this.set(this.rig.setPtt(on) === 'accepted', on ? 'transmit' : 'receive');
  }

  /** `PC`: RF power in watts; the K3 in K22 mode adds a units digit (1 = watts; research/hamlib.md §3.7). */
  private rfPower(args: string): CommandOutcome {
    const extended = this.has('extension_levels') && this.k2Mode >= 2;
    if (!args) return rfPowerAnswer(this.rig, this.profile.max_power_w, 3, extended ? '1' : '');
    const match = /^(\d{3})([01])?$/.exec(args);
    if (!match) return malformed(`PC${args}`);
    const watts = Number(match[1]) / (match[2] === '0' ? 10 : 1);
    return this.set(
      this.rig.setRfPower(watts / this.profile.max_power_w) === 'accepted',
      `set RF power ${watts} W`,
    );
  }

  private smeter(command: string): CommandOutcome {
    const { queries, digits: width } = this.profile.smeter;
    if (!queries.some((query) => query === command)) return this.table.answer(command);
    const raw = smeterRaw(this.profile, this.rig.strengthDb());
    return { reply: `${command}${digits(raw, width)}`, kind: 'query', meaning: 'get S-meter' };
  }

  /**
   * `RM`: the TX meters (SWR 1, COMP 2, ALC 3), all at rest: a matched antenna and a clean signal.
   * How a radio reads them is its profile's `meters`: `selected` (`RM;` reads the selected meter, `RMn;`
   * selects), `all` (TS-480: `RM;` answers all three at once, exactly 24 bytes, §3.6), `each` (TS-590S/SG:
   * `RMn;` reads meter n, `RMn0000`, as ts590.c expects 7 characters), `switched` (TS-890S: `RMn1;` turns
   * meter n on, silently; `RM;` answers every meter and Hamlib picks its own, ts890s.c).
   */
  private meters(args: string): CommandOutcome {
    const style = this.profile.meters;
    if (style === 'switched' && /^[0-9][01]$/.test(args)) {
      return { kind: 'set', meaning: `meter ${args[0]} ${args[1] === '1' ? 'on' : 'off'}` };
    }
    if (args) {
      if (!/^[0-9]$/.test(args)) return malformed(`RM${args}`);
      return style === 'each'
        ? { reply: `RM${args}0000`, kind: 'query', meaning: `get meter ${args}` }
        : { kind: 'set', meaning: `select meter ${args}` };
    }
    if (style === 'all' || style === 'switched')
      return { reply: 'RM10000;RM20000;RM30000', kind: 'query', meaning: 'get meters' };
    return { reply: 'RM10000', kind: 'query', meaning: 'get meter' };
  }

  /** Elecraft KX2/KX3 `PO`: the power going out, in tenths of a watt (0 in receive; k3.c kx3_get_level). */
  private powerOutput(): CommandOutcome {
    const watts = this.rig.ptt() ? this.rig.rfPower() * this.profile.max_power_w : 0;
    return { reply: `PO${digits(watts * 10, 3)}`, kind: 'query', meaning: `get power output → ${watts} W` };
  }

  /**
   * K3 `BG`: the bar graph, `BGnnR` in receive (S-meter, 00–21) or `BGnnT` in transmit (RF power,
   * 00–12 at full power). Hamlib's RFPOWER_METER(_WATTS) reads `TM` then this (k3.c 4.5.4).
   */
  private barGraph(): CommandOutcome {
    const state = this.rig;
    if (state.ptt()) {
      const bars = Math.round(12 * Math.min(1, Math.max(0, state.rfPower())));
      return { reply: `BG${digits(bars, 2)}T`, kind: 'query', meaning: `get bar graph → TX ${bars}/12` };
    }
    const raw = smeterRaw(this.profile, state.strengthDb());
    const full = this.profile.smeter.calibration.at(-1)![0];
    const bars = Math.round((21 * raw) / full);
    return { reply: `BG${digits(bars, 2)}R`, kind: 'query', meaning: `get bar graph → RX ${bars}/21` };
  }

  /** TS-2000 `SA`: satellite mode, always off here (Hamlib reads only SA[2]). */
  private satellite(args: string): CommandOutcome {
    if (!args) return { reply: 'SA0000000', kind: 'query', meaning: 'get satellite mode → off' };
    return /^0+$/.test(args)
      ? { kind: 'set', meaning: 'satellite mode off' }
      : { reply: REJECT, kind: 'set', meaning: 'satellite mode is not emulated' };
  }

  private elecraftMode(name: 'K2' | 'K3', args: string): CommandOutcome {
    const value = name === 'K2' ? this.k2Mode : this.k3Mode;
    if (!args) return { reply: `${name}${value}`, kind: 'query', meaning: `get ${name} mode` };
    if (!/^[0-3]$/.test(args)) return malformed(`${name}${args}`);
    if (name === 'K2') this.k2Mode = Number(args);
    else this.k3Mode = Number(args);
    return { kind: 'set', meaning: `set ${name} mode ${args}` };
  }
}

export function createKenwoodEmulator(options: EmulatorOptions<KenwoodProfile>): Emulator {
  return new KenwoodEmulator(options);
}
