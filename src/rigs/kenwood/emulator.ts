import type { Vfo } from '../../model/rig.js';
import type { Emulator, EmulatorOptions } from '../emulator.js';
import { AnswerTable, type CommandOutcome, receiveCommands } from '../semicolon-dialect.js';
import { digits, ifAnswer, smeterRaw, vfoDigit } from './format.js';
import { KenwoodFramer } from './framer.js';
import { baseOf, isDataMode, K3_FSK_D, modeDigit, modeFromDigit, withDataFlag } from './modes.js';
import type { KenwoodProfile } from './profile.js';

const REJECT = '?';
/** An `ID;` this soon after a refused set is Hamlib's verify of it (the K3 sends it 10 ms later). */
const VERIFY_WINDOW_MS = 100;
const encoder = new TextEncoder();

/**
 * A Kenwood-family radio (TS-2000, TS-590SG, TS-480, Elecraft K3, …) on one port, as Hamlib 4.5.4's
 * backends for these models expect it (research/hamlib.md §3): queries answered from the rig's state
 * at once and in order, sets silent (Hamlib verifies them with a trailing `ID;`), `?;` for what the
 * radio does not know.
 */
export class KenwoodEmulator implements Emulator {
  private readonly framer = new KenwoodFramer();
  private readonly profile: KenwoodProfile;
  // Per-client protocol state (DESIGN.md: a port's own business), cleared by reset().
  private autoInfo = 0;
  private k2Mode = 0;
  private k3Mode = 0;
  private k3SubMode = 0;
  private readonly table: AnswerTable;
  private lastAutoInfo = '';
  /** When this port's last set was refused: Hamlib's verifying `ID;` right after it is refused too. */
  private refusedAt: number | null = null;
  /** When the chunk being handled was read (the port's clock). */
  private now = 0;

  constructor(private readonly options: EmulatorOptions<KenwoodProfile>) {
    this.profile = options.profile;
    this.table = new AnswerTable(this.profile.answers, this.profile.silent_sets);
  }

  receive(bytes: Uint8Array, readAtMs: number = performance.now()): void {
    this.now = readAtMs;
    receiveCommands(this.framer, bytes, (command) => this.safeExecute(command), this.options);
  }

  reset(): void {
    this.framer.reset();
    this.autoInfo = 0;
    this.k2Mode = 0;
    this.k3Mode = 0;
    this.k3SubMode = 0;
    this.table.reset();
    this.lastAutoInfo = '';
    this.refusedAt = null;
  }

  stateChanged(): void {
    // Unsolicited IF only when the port allows it and the client asked for it (AI1/AI2).
    if (!this.options.port.autoInfo || this.autoInfo === 0) return;
    const info = ifAnswer(this.profile, this.options.rig);
    if (info === this.lastAutoInfo) return;
    this.lastAutoInfo = info;
    this.options.write(encoder.encode(`${info};`));
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

  private execute(command: string): CommandOutcome {
    const elecraft = this.profile.elecraft;
    if (elecraft && (command.startsWith('MD$') || command.startsWith('BW$'))) {
      return command.startsWith('MD$')
        ? this.mode('VFOB', command.slice(3))
        : this.bandwidth('VFOB', command.slice(3));
    }
    const name = command.slice(0, 2);
    const args = command.slice(2);
    switch (name) {
      case 'ID':
        return args
          ? this.malformed(command)
          : { reply: `ID${this.profile.id}`, kind: 'query', meaning: 'identify' };
      case 'IF':
        return args
          ? this.malformed(command)
          : { reply: ifAnswer(this.profile, this.rig), kind: 'query', meaning: 'get status (IF)' };
      case 'FA':
        return this.frequency('VFOA', args);
      case 'FB':
        return this.frequency('VFOB', args);
      case 'FR':
        return this.receiveVfo(args);
      case 'FT':
        return this.transmitVfo(args);
      case 'MD':
        return this.mode(this.rig.vfo(), args);
      case 'TX':
        return /^[0-2]?$/.test(args) ? this.ptt(true) : this.malformed(command);
      case 'RX':
        return args ? this.malformed(command) : this.ptt(false);
      case 'PS':
        return this.power(args);
      case 'AI':
        return this.autoInformation(args);
      case 'PC':
        return this.rfPower(args);
      case 'SM':
        return this.smeter(command);
      case 'RM':
        return this.meters(args);
    }
    if (name === 'SA' && this.profile.satellite) return this.satellite(args);
    if (name === 'DA' && this.profile.data_mode === 'da') return this.dataFlag(args);
    if (name === 'FW' && this.profile.filter === 'fw') return this.filterWidth(args);
    if (name === 'BW' && this.profile.filter === 'bw') return this.bandwidth(this.rig.vfo(), args);
    if (elecraft) {
      if (name === 'DT') return this.k3DataSubMode(args);
      if (name === 'K2' || name === 'K3') return this.elecraftMode(name, args);
      if (name === 'TQ' && !args)
        return { reply: `TQ${this.rig.ptt() ? 1 : 0}`, kind: 'query', meaning: 'get TX' };
      if (name === 'BG' && !args) return this.barGraph();
    }
    return this.table.answer(command);
  }

  private get rig() {
    return this.options.rig;
  }

  private malformed(command: string): CommandOutcome {
    return { reply: REJECT, kind: 'malformed', meaning: `bad arguments: ${command}` };
  }

  private set(ok: boolean, meaning: string): CommandOutcome {
    if (ok) return { kind: 'set', meaning };
    // A refused write answers like a busy radio, and so does the `ID;` that verifies it.
    this.refusedAt = this.now;
    return { reply: REJECT, kind: 'set', meaning: `${meaning} (refused)` };
  }

  private frequency(vfo: Vfo, args: string): CommandOutcome {
    const label = vfo === 'VFOA' ? 'A' : 'B';
    if (!args) {
      const hz = this.rig.freq(vfo);
      return {
        reply: `F${label}${digits(hz, 11)}`,
        kind: 'query',
        meaning: `get VFO ${label} frequency → ${hz} Hz`,
      };
    }
    if (!/^\d{1,11}$/.test(args)) return this.malformed(`F${label}${args}`);
    const hz = Number(args);
    return this.set(this.rig.setFreq(vfo, hz) === 'accepted', `set VFO ${label} frequency ${hz} Hz`);
  }

  /** `FR`: the receive VFO. On these radios choosing the RX VFO also makes it the TX VFO (split off). */
  private receiveVfo(args: string): CommandOutcome {
    const state = this.rig;
    if (!args) return { reply: `FR${vfoDigit(state.vfo())}`, kind: 'query', meaning: 'get RX VFO' };
    if (args !== '0' && args !== '1') return this.malformed(`FR${args}`);
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
    if (args !== '0' && args !== '1') return this.malformed(`FT${args}`);
    const tx: Vfo = args === '0' ? 'VFOA' : 'VFOB';
    const ok = this.rig.setSplit(tx !== state.vfo(), tx) === 'accepted';
    return this.set(ok, `set TX VFO ${tx}${tx !== state.vfo() ? ' (split on)' : ''}`);
  }

  private mode(vfo: Vfo, args: string): CommandOutcome {
    const prefix = vfo === 'VFOB' && this.profile.elecraft ? 'MD$' : 'MD';
    const current = this.rig.mode(vfo).mode;
    if (!args)
      return {
        reply: `${prefix}${modeDigit(this.profile, current)}`,
        kind: 'query',
        meaning: `get mode → ${current}`,
      };
    if (args.length !== 1) return this.malformed(`${prefix}${args}`);
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
    if (args !== '0' && args !== '1') return this.malformed(`DA${args}`);
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
    if (!/^[0-3]$/.test(args)) return this.malformed(`DT${args}`);
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
    if (!/^\d{4}$/.test(args)) return this.malformed(`FW${args}`);
    const value = Number(args);
    let hz: number | undefined;
    if (ssb) hz = [2400, 500, 270][value];
    else if (cwLike) hz = value;
    if (hz === undefined || hz === passband) return { kind: 'set', meaning: `set filter width ${args}` };
    return this.set(this.rig.setMode(state.vfo(), mode, hz) === 'accepted', `set filter width ${hz} Hz`);
  }

  /** K3 `BW`/`BW$`: the filter width in 10 Hz units. */
  private bandwidth(vfo: Vfo, args: string): CommandOutcome {
    const prefix = vfo === 'VFOB' && this.profile.elecraft ? 'BW$' : 'BW';
    const { mode, passband } = this.rig.mode(vfo);
    if (!args) {
      return {
        reply: `${prefix}${digits((passband || 2400) / 10, 4)}`,
        kind: 'query',
        meaning: 'get filter width',
      };
    }
    if (!/^\d{4}$/.test(args)) return this.malformed(`${prefix}${args}`);
    const hz = Number(args) * 10;
    if (hz === passband) return { kind: 'set', meaning: `set filter width ${hz} Hz` };
    return this.set(this.rig.setMode(vfo, mode, hz) === 'accepted', `set filter width ${hz} Hz`);
  }

  private ptt(on: boolean): CommandOutcome {
    return this.set(this.rig.setPtt(on) === 'accepted', on ? 'transmit' : 'receive');
  }

  private power(args: string): CommandOutcome {
    if (!args) return { reply: 'PS1', kind: 'query', meaning: 'get power status → on' };
    // Power on is already true; power off is not ours to do to a shared radio, so it is accepted and ignored.
    return args === '0' || args === '1'
      ? { kind: 'set', meaning: `power ${args}` }
      : this.malformed(`PS${args}`);
  }

  private autoInformation(args: string): CommandOutcome {
    if (!args) return { reply: `AI${this.autoInfo}`, kind: 'query', meaning: 'get auto information' };
    if (!/^[0-4]$/.test(args)) return this.malformed(`AI${args}`);
    this.autoInfo = Number(args);
    this.lastAutoInfo = '';
    return { kind: 'set', meaning: `set auto information ${args}` };
  }

  /** `PC`: RF power in watts; the K3 in K22 mode adds a units digit (1 = watts; research/hamlib.md §3.7). */
  private rfPower(args: string): CommandOutcome {
    const extended = this.profile.elecraft && this.k2Mode >= 2;
    if (!args) {
      const watts = Math.round(this.rig.rfPower() * this.profile.max_power_w);
      return {
        reply: `PC${digits(watts, 3)}${extended ? '1' : ''}`,
        kind: 'query',
        meaning: `get RF power → ${watts} W`,
      };
    }
    const match = /^(\d{3})([01])?$/.exec(args);
    if (!match) return this.malformed(`PC${args}`);
    const watts = Number(match[1]) / (match[2] === '0' ? 10 : 1);
    return this.set(
      this.rig.setRfPower(watts / this.profile.max_power_w) === 'accepted',
      `set RF power ${watts} W`,
    );
  }

  private smeter(command: string): CommandOutcome {
    const { query, digits: width } = this.profile.smeter;
    const accepted = command === query || (query === 'SM0' && command === 'SM1');
    if (!accepted) return this.table.answer(command);
    const raw = smeterRaw(this.profile, this.rig.strengthDb());
    return { reply: `${command}${digits(raw, width)}`, kind: 'query', meaning: 'get S-meter' };
  }

  private meters(args: string): CommandOutcome {
    if (args)
      return /^[0-9]$/.test(args)
        ? { kind: 'set', meaning: `select meter ${args}` }
        : this.malformed(`RM${args}`);
    // TS-480: all three meters at once, exactly 24 bytes, read with no stop character (§3.6).
    if (this.profile.meters_all_at_once)
      return { reply: 'RM10000;RM20000;RM30000', kind: 'query', meaning: 'get meters' };
    return { reply: 'RM10000', kind: 'query', meaning: 'get meter' };
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
    if (!/^[0-3]$/.test(args)) return this.malformed(`${name}${args}`);
    if (name === 'K2') this.k2Mode = Number(args);
    else this.k3Mode = Number(args);
    return { kind: 'set', meaning: `set ${name} mode ${args}` };
  }
}

export function createKenwoodEmulator(options: EmulatorOptions<KenwoodProfile>): Emulator {
  return new KenwoodEmulator(options);
}
